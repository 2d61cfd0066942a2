using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Cli;

/// <summary>
/// Every file the CLI reads has a documented size limit: a larger file is refused before it is read, with a message
/// naming the file and the limit (a 38 MB rules file once took 132 s and 1.67 GB to be rejected).
/// </summary>
public class CliFileLimitTests
{
    /// <summary>A sparse file of the given size: instant to create, no disk used.</summary>
    private static string Sparse(TestDatabase db, string name, long bytes)
    {
        var path = Path.Combine(db.Directory, name);
        using var f = File.Create(path);
        f.SetLength(bytes);
        return path;
    }

    private static void AssertRefused(CliRun run, string file, string limit)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(file, run.Err);
        Assert.Contains($"limit is {limit}", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public async Task Oversized_inputs_are_refused_naming_the_file_and_the_limit()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "db", "migrate")).ExitCode);

        var rules = Directory.CreateDirectory(Path.Combine(db.Directory, "rules")).FullName;
        File.WriteAllText(Path.Combine(rules, "small.rules"), "");
        var big = Path.Combine(rules, "big.rules");
        File.WriteAllText(big, string.Concat(Enumerable.Repeat("# a comment line that goes on and on and on and on and on\n", 40_000)));
        AssertRefused(await CliRunner.RunAsync(db, "rules", "validate", rules), "big.rules", "1 MiB");
        AssertRefused(await CliRunner.RunAsync(db, "rules", "backtest", rules, "--since", "2026-01-01"), "big.rules", "1 MiB");

        AssertRefused(await CliRunner.RunAsync(db, "policies", "set", Sparse(db, "catalogue.json", 2 << 20)), "catalogue.json", "1 MiB");
        AssertRefused(await CliRunner.RunAsync(db, "screen", "--names", Sparse(db, "names.txt", 17 << 20)), "names.txt", "16 MiB");
        AssertRefused(await CliRunner.RunAsync(db, "bank", "import", "any", Sparse(db, "bank.csv", 257L << 20)), "bank.csv", "256 MiB");
        AssertRefused(await CliRunner.RunAsync(db, "--config", Sparse(db, "config.json", 2 << 20), "bank", "list"), "config.json", "1 MiB");
        AssertRefused(await CliRunner.RunAsync(db, "classifier", "eval", "--data", Sparse(db, "eval.csv", 257L << 20)), "eval.csv", "256 MiB");
        AssertRefused(await CliRunner.RunAsync(db, "hash", Sparse(db, "huge.mp4", (1L << 30) + 1)), "huge.mp4", "1 GiB");

        // ingest streams its file, so the limit is per line: the API's limit for one event.
        var jsonl = Path.Combine(db.Directory, "events.jsonl");
        File.WriteAllText(jsonl, "{\"id\":\"a\",\"kind\":\"comment\",\"text\":\"" + new string('x', 5 << 20) + "\"}\n{\"id\":\"b\",\"kind\":\"comment\",\"text\":\"fine\"}\n");
        var ingest = await CliRunner.RunAsync(db, "ingest", jsonl);
        Assert.Contains("events.jsonl:1: the line is longer than the limit of 4 MiB", ingest.Out);
        Assert.Contains("accepted 1,", ingest.Out);
    }
}
