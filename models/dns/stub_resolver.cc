#include "models/dns/stub_resolver.h"

#include <cctype>
#include <utility>

#include "models/dns/dns_message.h"

namespace waterfall {
namespace {

std::string Lower(std::string host) {
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

}  // namespace

StubResolver::StubResolver(EventLoop& loop, Send send) : loop_(loop), send_(std::move(send)) {}

StubResolver::~StubResolver() {
  for (auto& [host, lookup] : lookups_) {
    loop_.Cancel(lookup.retry);
    loop_.Cancel(lookup.timeout);
  }
}

void StubResolver::Remember(const std::string& host, uint32_t ipv4) {
  Lookup& lookup = lookups_[Lower(host)];
  if (!lookup.done && lookup.attempts > 0) return;  // being looked up: the answer decides
  lookup.done = true;
  lookup.ipv4 = ipv4;
}

void StubResolver::Resolve(const std::string& host, Done done) {
  const std::string name = Lower(host);
  Lookup& lookup = lookups_[name];
  if (lookup.done) {
    done(lookup.ipv4);
    return;
  }
  if (lookup.attempts == 0 && BuildAQuery(0, name).empty()) {  // no domain name: no query
    lookup.done = true;
    done(std::nullopt);
    return;
  }
  lookup.waiters.push_back(std::move(done));
  if (lookup.attempts > 0) return;  // joins the lookup under way
  lookup.start_ms = loop_.NowMs();
  lookup.timeout = loop_.After(kTransactionTimeoutMs, [this, name] {
    lookups_[name].timeout = TimerId{};
    Finish(name, std::nullopt);
  });
  SendQuery(name, lookup);
}

void StubResolver::SendQuery(const std::string& host, Lookup& lookup) {
  const uint16_t id = next_id_++;
  ++lookup.attempts;
  lookup.ids.push_back(id);
  pending_ids_[id] = host;
  ++queries_sent_;
  if (lookup.attempts < kAttempts) {
    lookup.retry = loop_.After(kFallbackPeriodMs, [this, host] {
      Lookup& l = lookups_[host];
      l.retry = TimerId{};
      SendQuery(host, l);
    });
  }
  send_(BuildAQuery(id, host));
}

void StubResolver::OnDatagram(const uint8_t* data, size_t size) {
  const std::optional<DnsAnswer> answer = ParseAnswer(data, size);
  if (!answer) return;
  auto pending = pending_ids_.find(answer->id);
  if (pending == pending_ids_.end() || pending->second != answer->host) return;
  Finish(answer->host, answer->ipv4);
}

void StubResolver::Finish(const std::string& host, std::optional<uint32_t> ipv4) {
  Lookup& lookup = lookups_[host];
  if (lookup.done) return;
  loop_.Cancel(lookup.retry);
  loop_.Cancel(lookup.timeout);
  lookup.retry = lookup.timeout = TimerId{};
  for (uint16_t id : lookup.ids) pending_ids_.erase(id);
  lookup.ids.clear();
  lookup.done = true;
  lookup.ipv4 = ipv4;
  lookup.end_ms = loop_.NowMs();
  // A waiter may call Resolve (std::map keeps lookup where it is; a new host adds a node).
  std::vector<Done> waiters = std::move(lookup.waiters);
  lookup.waiters.clear();
  for (Done& done : waiters) done(ipv4);
}

std::optional<double> StubResolver::LookupStartMs(const std::string& host) const {
  auto it = lookups_.find(Lower(host));
  return it == lookups_.end() ? std::nullopt : it->second.start_ms;
}

std::optional<double> StubResolver::LookupEndMs(const std::string& host) const {
  auto it = lookups_.find(Lower(host));
  return it == lookups_.end() ? std::nullopt : it->second.end_ms;
}

}  // namespace waterfall
