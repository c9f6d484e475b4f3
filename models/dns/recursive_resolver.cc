#include "models/dns/recursive_resolver.h"

#include <cctype>
#include <utility>

#include "models/dns/dns_message.h"

namespace waterfall {

RecursiveResolver::RecursiveResolver(EventLoop& loop, std::map<std::string, HostRecord> records,
                                     Send send)
    : timers_(loop), send_(std::move(send)) {
  for (auto& [name, record] : records) {
    std::string host = name;
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!host.empty() && host.back() == '.') host.pop_back();
    hosts_[host].record = record;
  }
}

void RecursiveResolver::OnQuery(const uint8_t* data, size_t size, Peer from) {
  const std::optional<DnsQuestion> question = ParseQuery(data, size);
  if (!question) return;
  const Asker asker{question->id, from};
  auto it = hosts_.find(question->host);
  if (it == hosts_.end()) {
    send_(BuildNxDomain(question->id, question->host), from);
    return;
  }
  Host& host = it->second;
  switch (host.state) {
    case State::kCached:
      Answer(question->host, asker);
      return;
    case State::kResolving:
      host.waiting.push_back(asker);
      return;
    case State::kNotCached:
      host.state = State::kResolving;
      host.waiting.push_back(asker);
      ++resolutions_;
      timers_.After(host.record.dns_ms, [this, name = question->host] {
        Host& resolved = hosts_.at(name);
        resolved.state = State::kCached;
        std::vector<Asker> waiting = std::move(resolved.waiting);
        resolved.waiting.clear();
        for (const Asker& a : waiting) Answer(name, a);
      });
      return;
  }
}

void RecursiveResolver::Answer(const std::string& host, const Asker& asker) {
  send_(BuildAAnswer(asker.id, host, hosts_.at(host).record.ipv4, kAnswerTtlS), asker.peer);
}

}  // namespace waterfall
