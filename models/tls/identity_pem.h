// A server identity (models/tls/server_identity.h) as the files a real server reads: the same
// deterministic chain as PEM, the leaf's private key as PEM, and the hash Chrome takes to accept
// the chain without trusting its root (--ignore-certificate-errors-spki-list, which lists
// base64(SHA-256(SubjectPublicKeyInfo)) of a certificate in the chain). `waterfall site` writes
// them for Apache (sim/cli/site_command.h). Sans-I/O: returns text.
#pragma once

#include <string>
#include <vector>

#include "models/page/scenario.h"

namespace waterfall {

struct IdentityPem {
  std::string chain_pem;    // "-----BEGIN CERTIFICATE-----" blocks, leaf first
  std::string key_pem;      // the leaf's private key, PKCS#8 or SEC1/PKCS#1 PEM as GnuTLS writes
  std::string spki_sha256;  // base64 of SHA-256 of the leaf's DER SubjectPublicKeyInfo
};

// The chain ServerIdentity::Build(config, hosts, ...) presents. Throws std::runtime_error if
// GnuTLS fails (it does not for the shipped keys).
IdentityPem ExportIdentityPem(const TlsConfig& config, const std::vector<std::string>& hosts);

}  // namespace waterfall
