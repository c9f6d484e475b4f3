// How the simulation wires TLS for an https origin: the identity its server node presents (one
// per node and port, shared by the origins there: one certificate names them all), what the
// browser offers in ALPN and what the server speaks, and the session ticket a browser holds
// from an earlier visit (client.connection = "resumed"). Client and server ask the same
// functions, so both ends of a connection agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/page/scenario.h"
#include "models/tls/server_identity.h"

namespace waterfall {

// The identity of origin's server node. Built once per process for the same certificate,
// hosts and node (ServerIdentity::Build is deterministic), and kept.
const ServerIdentity& IdentityOf(const Scenario& scenario, const Origin& origin);

// ALPN: the browser offers h2 then http/1.1 where the mode speaks HTTP/2 to the origin (as
// Chrome does), http/1.1 alone otherwise; a server node speaks the one version the mode gives
// it (VersionFor), so the negotiated protocol is always that version.
std::vector<std::string> ClientAlpn(HttpVersion version);
std::vector<std::string> ServerAlpn(HttpVersion version);
const char* AlpnId(HttpVersion version);  // "h2", "http/1.1"

// The ticket from an earlier visit to origin (an in-memory handshake with its identity).
std::vector<uint8_t> TicketFromEarlierVisit(const Scenario& scenario, const Origin& origin,
                                            HttpVersion version);

}  // namespace waterfall
