#include "models/scenario/scenario_overrides.h"

#include <algorithm>

#include "models/page/url.h"
#include "models/scenario/scenario_schema.h"

namespace waterfall {

const std::vector<IndexedTable>& IndexedTables() {
  // One row per table a scenario has several of.
  static const std::vector<IndexedTable> kTables = {
      {"resource", "url", "URL", "/style.css", "size", false},
      {"origin", "url", "URL", "http://cdn.example.net", "rtt_ms", true},
  };
  return kTables;
}

namespace {

std::string Prefix(const IndexedTable& t) { return std::string(t.name) + "["; }

// "resource[URL].KEY"
std::string Form(const IndexedTable& t) {
  return std::string(t.name) + "[" + std::string(t.id_word) + "].KEY";
}
// "resource[/style.css].size"
std::string Example(const IndexedTable& t) {
  return std::string(t.name) + "[" + std::string(t.example_id) + "]." + std::string(t.example_key);
}

// "a " or "an ", before the table's name.
std::string Article(const IndexedTable& t) {
  return std::string_view("aeiou").find(t.name.front()) == std::string_view::npos ? "a " : "an ";
}

// The indexed table whose "TABLE[" `key` begins with.
const IndexedTable* IndexedTableOf(std::string_view key) {
  for (const IndexedTable& t : IndexedTables()) {
    const std::string prefix = Prefix(t);
    if (key.substr(0, prefix.size()) == prefix) return &t;
  }
  return nullptr;
}

// Whether the entry whose ID is `id` is the one `wanted` names.
bool SameId(const IndexedTable& table, const std::string& id, const std::string& wanted) {
  if (id == wanted) return true;
  if (!table.origin_ids) return false;
  const std::optional<OriginKey> a = OriginKey::Parse(id);
  const std::optional<OriginKey> b = OriginKey::Parse(wanted);
  return a && b && *a == *b;
}

// Whether `key` of `table` ("" for the top level) is an enum key of the schema, whose values are
// words: `--set tls.version=1.2` means the word "1.2", not the float.
bool IsEnumKey(std::string_view table, std::string_view key) {
  for (const KeySpec& k : KeysOf(table)) {
    if (k.name == key) return k.type == KeyType::kEnum;
  }
  return false;
}

// Inserts `raw` into `table` under `key`: parsed as a TOML value when it is one, else as a string.
// An enum key takes an unquoted value as its word.
void AssignValue(toml::table& table, const std::string& key, const std::string& raw,
                 bool enum_key = false) {
  if (enum_key && !raw.empty() && raw.front() != '"' && raw.front() != '\'') {
    table.insert_or_assign(key, raw);
    return;
  }
  try {
    toml::table parsed = toml::parse("v = " + raw);
    if (parsed.size() == 1) {
      if (toml::node* v = parsed.get("v")) {
        table.insert_or_assign(key, std::move(*v));
        return;
      }
    }
  } catch (const toml::parse_error&) {
    // Not TOML: a bare word such as `warm` or `/style.css`.
  }
  table.insert_or_assign(key, raw);
}

}  // namespace

std::optional<OverrideKey> ParseOverrideKey(const std::string& key, std::string* problem) {
  OverrideKey out;
  if (key.empty()) {
    *problem = "the key is empty";
    return std::nullopt;
  }
  std::string_view rest = key;
  if (const IndexedTable* t = IndexedTableOf(rest)) {
    const size_t prefix = t->name.size() + 1;
    size_t close = rest.rfind("].");
    if (close == std::string_view::npos || close <= prefix) {
      *problem = "malformed key; " + Article(*t) + std::string(t->name) + " field is set as " +
                 Form(*t) + ", e.g. " + Example(*t);
      return std::nullopt;
    }
    out.table = t;
    out.id = std::string(rest.substr(prefix, close - prefix));
    rest = rest.substr(close + 2);
    // TABLE[ID].SUB.KEY when SUB is a table-valued key of TABLE (origin[URL].tls.version).
    const size_t dot = rest.find('.');
    const std::string_view sub = rest.substr(0, dot);
    bool sub_table = false;
    for (const KeySpec& k : KeysOf(t->name)) {
      sub_table = sub_table || (k.name == sub && k.type == KeyType::kTable);
    }
    if (dot != std::string_view::npos && !(sub_table && rest.find('.', dot + 1) == rest.npos)) {
      *problem = "malformed key; " + Article(*t) + std::string(t->name) +
                 " field is a single key after " + std::string(t->name) + "[" +
                 std::string(t->id_word) + "]., e.g. " + Example(*t);
      return std::nullopt;
    }
  }
  size_t start = 0;
  while (true) {
    size_t dot = rest.find('.', start);
    std::string_view part =
        rest.substr(start, dot == std::string_view::npos ? rest.npos : dot - start);
    if (part.empty() || !std::all_of(part.begin(), part.end(), IsBareKeyChar)) {
      *problem =
          "malformed key; expected dotted bare keys of A-Z a-z 0-9 _ - (e.g. network.rtt_ms)";
      for (const IndexedTable& t : IndexedTables()) *problem += " or " + Form(t);
      return std::nullopt;
    }
    out.parts.emplace_back(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!out.table && out.parts.size() > 1) {
    for (const IndexedTable& t : IndexedTables()) {
      if (out.parts[0] != t.name) continue;
      *problem = "malformed key; " + std::string(t.name) + "s are an array, so set " + Article(t) +
                 std::string(t.name) + " field as " + Form(t) + ", e.g. " + Example(t);
      return std::nullopt;
    }
  }
  return out;
}

void ApplyOverride(toml::table& root, const Override& o, Reporter& rep) {
  const std::string text = "--set " + o.key + "=" + o.value;
  std::string problem;
  std::optional<OverrideKey> key = ParseOverrideKey(o.key, &problem);
  if (!key) rep.FailOverride(o.key, problem, text);

  if (key->table) {
    const IndexedTable& table = *key->table;
    std::string known;  // the IDs there are, when table.origin_ids
    if (auto* arr = root[table.name].as_array()) {
      for (size_t i = 0; i < arr->size(); ++i) {
        auto* t = arr->get(i)->as_table();
        if (!t) continue;
        const auto* id = t->get_as<std::string>(table.id_key);
        if (!id) continue;
        if (!SameId(table, id->get(), key->id)) {
          known += (known.empty() ? "" : ", ") + id->get();
          continue;
        }
        std::string path = std::string(table.name) + "[" + std::to_string(i) + "]";
        toml::table* into = t;
        if (key->parts.size() == 2) {  // TABLE[ID].SUB.KEY
          path += "." + key->parts[0];
          toml::node* sub = into->get(key->parts[0]);
          if (!sub) {
            into->insert(key->parts[0], toml::table{});
            sub = into->get(key->parts[0]);
            rep.NoteOverride(path, text);
          }
          into = sub->as_table();
          if (!into) {
            rep.FailOverride(
                o.key, "cannot set it: " + path + " is " + Describe(*sub) + ", not a table", text);
          }
        }
        const std::string_view of = key->parts.size() == 2 ? key->parts[0] : table.name;
        AssignValue(*into, key->parts.back(), o.value, IsEnumKey(of, key->parts.back()));
        rep.NoteOverride(path + "." + key->parts.back(), text);
        return;
      }
    }
    std::string problem = "no " + std::string(table.name) + " has " + std::string(table.id_key) +
                          " " + Quote(key->id);
    if (table.origin_ids) {
      problem += known.empty() ? "; the scenario declares no [[" + std::string(table.name) + "]]"
                               : "; the " + std::string(table.name) + "s are: " + known;
    }
    rep.FailOverride(o.key, problem, text);
  }

  toml::table* table = &root;
  std::string path;
  for (size_t i = 0; i + 1 < key->parts.size(); ++i) {
    const std::string& part = key->parts[i];
    path += (i ? "." : "") + part;
    toml::node* n = table->get(part);
    if (!n) {
      table->insert(part, toml::table{});
      table = table->get(part)->as_table();
      rep.NoteOverride(path, text);
      continue;
    }
    table = n->as_table();
    if (!table) {
      rep.FailOverride(o.key, "cannot set it: " + path + " is " + Describe(*n) + ", not a table",
                       text);
    }
  }
  const size_t n = key->parts.size();
  AssignValue(*table, key->parts.back(), o.value,
              n <= 2 && IsEnumKey(n == 1 ? "" : key->parts[0], key->parts.back()));
  rep.NoteOverride(o.key, text);
}

Override ParseOverride(const std::string& key_equals_value) {
  const std::string shown = "--set " + key_equals_value;
  // An ID (a resource URL) may itself contain '=', so look for it only after "TABLE[...]".
  size_t from = 0;
  if (IndexedTableOf(key_equals_value)) {
    size_t close = key_equals_value.find(']');
    if (close != std::string::npos) from = close;
  }
  size_t eq = key_equals_value.find('=', from);
  if (eq == std::string::npos) {
    throw ScenarioError(shown + ": expected KEY=VALUE, e.g. network.rtt_ms=50");
  }
  Override o{Trim(std::string_view(key_equals_value).substr(0, eq)),
             Trim(std::string_view(key_equals_value).substr(eq + 1))};
  if (o.key.empty()) {
    throw ScenarioError(shown + ": expected KEY=VALUE, e.g. network.rtt_ms=50; the key is empty");
  }
  std::string problem;
  if (!ParseOverrideKey(o.key, &problem)) {
    throw ScenarioError(shown + ": " + o.key + ": " + problem);
  }
  return o;
}

std::optional<std::string> ClosestScenarioKey(const std::string& key) {
  if (const IndexedTable* t = IndexedTableOf(key)) {
    const size_t close = key.rfind("].");
    if (close == std::string::npos) return std::nullopt;
    std::vector<std::string> names;
    for (const KeySpec& k : KeysOf(t->name)) {
      names.emplace_back(k.name);
      if (k.type != KeyType::kTable) continue;
      // A table-valued key's own keys: origin[URL].tls.version
      for (const KeySpec& sub : KeysOf(k.name)) {
        names.push_back(std::string(k.name) + "." + std::string(sub.name));
      }
    }
    const auto near = Closest(key.substr(close + 2), names);
    if (!near) return std::nullopt;
    return key.substr(0, close + 2) + std::string(*near);
  }
  std::vector<std::string> dotted;
  for (const Section& s : Sections()) {
    bool indexed = false;
    for (const IndexedTable& t : IndexedTables()) indexed = indexed || s.table == t.name;
    if (indexed) continue;
    for (const KeySpec& k : KeysOf(s.table)) {
      dotted.push_back(std::string(s.prefix) + std::string(k.name));
    }
  }
  if (const auto near = Closest(key, dotted)) return std::string(*near);
  // The right key under the wrong table, or without its table: "client.rtt_ms", "rtt_ms".
  const std::string last = key.substr(key.rfind('.') + 1);
  for (const std::string& d : dotted) {
    if (d.size() > last.size() && d.compare(d.size() - last.size(), last.size(), last) == 0 &&
        d[d.size() - last.size() - 1] == '.') {
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace waterfall
