// waterfall: load one page over HTTP/1.1, HTTP/2, HTTP/2 push and 103 Early Hints in
// simulated time and report why one wins. This file parses the command line; each command
// lives in its own file (run_command, sweep_command, import_command).
//
// Exit codes: sim/cli/exit_codes.h (README, "Command line", repeats its table; `waterfall
// exit-codes` prints it).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/import_command.h"
#include "sim/cli/run_command.h"
#include "sim/cli/site_command.h"
#include "sim/cli/sweep_command.h"

using namespace waterfall;

int main(int argc, char** argv) {
  CLI::App app{"waterfall: web page loads over h1, h2, h2 push and 103 Early Hints, in ns-3"};
  app.require_subcommand(1);
  RunCommand run;
  CLI::App* run_cmd = app.add_subcommand("run", "load one scenario's page in each mode");
  run_cmd->add_option("scenario", run.scenario_path, "scenario TOML file")->required();
  run_cmd->add_option(
      "--mode", run.modes,
      "mode to run, repeatable: " + ModeNames() + " (default: " + DefaultModeNames() + ")");
  run_cmd->add_option("--out", run.out_dir, "output directory (default: results/<scenario name>/)");
  run_cmd->add_option("--set", run.sets,
                      "override a scenario key, KEY=VALUE (VALUE is TOML), repeatable");
  run_cmd->add_option("--seed", run.seed, "random seed (ns-3 run number), 1 to 4294967295")
      ->type_name("N");
  run_cmd->add_flag("--pcap", run.pcap,
                    "capture the bottleneck link to DIR/<mode>-<node>-<dev>.pcap");
  run_cmd->add_flag("--keylog", run.keylog,
                    "write the TLS secrets to DIR/<mode>.keys (NSS key log: tshark -o "
                    "tls.keylog_file:DIR/<mode>.keys decrypts the pcaps)");
  run_cmd->add_flag("--har", run.har,
                    "write each run as HAR 1.2 to DIR/<mode>.har (request and response headers "
                    "as sent, timings from the result's phases)");
  run_cmd->add_flag("--plot", run.plot,
                    "draw the modes' waterfalls to DIR/waterfall.png (plots/waterfall.py)");
  run_cmd->add_flag("-q,--quiet", run.quiet, "print nothing on success");
  SweepCommand sweep;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "run a sweep file's runs (axes x modes x seeds) and write DIR/runs.csv");
  sweep_cmd->add_option("sweep", sweep.sweep_path, "sweep TOML file")->required();
  sweep_cmd->add_option("-j,--jobs", sweep.jobs, "worker processes (default: one per core)")
      ->check(CLI::Range(1, 256));
  sweep_cmd->add_option("--out", sweep.out_dir,
                        "output directory (default: results/sweeps/<sweep name>/)");
  sweep_cmd->add_option("--shard", sweep.shard,
                        "K/N: run only the K-th of N deterministic slices; records only");
  sweep_cmd
      ->add_option("--merge", sweep.merge_dirs,
                   "run nothing: merge the records in these shard directories into "
                   "--out/runs.csv")
      ->expected(1, -1);
  sweep_cmd
      ->add_option("--run-wall-limit", sweep.run_wall_limit_s,
                   "seconds of wall clock after which a run is killed and failed")
      ->check(CLI::Range(1.0, 86400.0));
  sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "no progress and no summary");
  sweep_cmd->add_flag("--slurm", sweep.slurm,
                      "submit the shards as a Slurm job array and a merge job (README, "
                      "\"Beyond one machine\"); --out must be on a file system every node sees");
  sweep_cmd
      ->add_option("--shards", sweep.shards,
                   "--slurm: number of shards, one array task each (default 10, at most the runs)")
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}));
  sweep_cmd
      ->add_option("--sbatch-arg", sweep.sbatch_args,
                   "--slurm: an argument for sbatch, repeatable, written with '=': "
                   "--sbatch-arg=--partition=short")
      ->expected(1)
      ->take_all();
  sweep_cmd->add_flag("--wait", sweep.wait,
                      "--slurm: wait for the merge job and exit with the sweep's exit status");
  sweep_cmd
      ->add_option("--wait-limit", sweep.wait_limit_s,
                   "--wait: seconds to wait before giving up (the jobs go on), default 86400")
      ->check(CLI::Range(1.0, 30.0 * 86400));
  ImportCommand import;
  CLI::App* import_cmd = app.add_subcommand(
      "import", "turn one page of a HAR capture into a scenario (docs/har-import.md)");
  import_cmd->add_option("har", import.har_path, "HAR 1.2 file")->required();
  import_cmd->add_option("-o,--out", import.out_path, "scenario TOML to write (default: stdout)");
  import_cmd->add_option("--page", import.page, "the page to import, 1-based (default 1)")
      ->type_name("N");
  import_cmd->add_option("--until", import.until,
                         "onload (default): drop entries that start after the page's onLoad; "
                         "all: keep them");
  SiteCommand site;
  CLI::App* site_cmd = app.add_subcommand(
      "site", "write the page's files, Apache configurations and TLS key for a real browser");
  site_cmd->add_option("scenario", site.scenario_path, "scenario TOML file")->required();
  site_cmd->add_option("dir", site.out_dir, "output directory")->required();
  site_cmd->add_option("--set", site.sets,
                       "override a scenario key, KEY=VALUE (VALUE is TOML), repeatable");
  site_cmd->add_flag("-q,--quiet", site.quiet, "print nothing but warnings");
  CLI::App* codes_cmd =
      app.add_subcommand("exit-codes", "print the exit statuses and what each means");
  if (argc > 1 && argv[1][0] != '-') {
    const std::vector<std::string> commands = {"run", "sweep", "import", "site", "exit-codes"};
    const std::string word = argv[1];
    if (std::find(commands.begin(), commands.end(), word) == commands.end()) {
      std::cerr << "waterfall: unknown command '" << word << "'";
      if (auto near = ClosestWord(word, commands)) std::cerr << "; did you mean '" << *near << "'?";
      std::cerr << " (commands: run, sweep, import, site, exit-codes)\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  try {
    if (*run_cmd) return Run(run);
    if (*sweep_cmd) return Sweep(sweep);
    if (*import_cmd) return Import(import);
    if (*site_cmd) return Site(site);
    if (*codes_cmd) {
      for (const ExitCode& c : kExitCodes) std::printf("%d\t%s\n", c.code, c.meaning);
      return kExitOk;
    }
  } catch (const std::exception& e) {
    std::cerr << "waterfall: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return 0;
}
