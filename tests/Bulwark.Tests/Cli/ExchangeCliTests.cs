using System.Text.Json;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting.DemoPartners;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark exchanges …` run as an operator would, against a fake TCAP: status, sync, pause and resume, feedback, publication, and bad input.</summary>
public class ExchangeCliTests
{
    private static string Config(TestDatabase db, string name, object partner)
    {
        var file = Path.Combine(db.Directory, $"{name}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            Bulwark = new { Exchanges = new { WorkerEnabled = false, TimeoutSeconds = 2, AllowedInternal = new[] { "127.0.0.1" }, Partners = new[] { partner } } },
        }));
        return file;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Exchanges_are_listed_synced_paused_resumed_and_published_and_bad_input_gets_a_clear_error(DatabaseProvider provider)
    {
        var tcap = await FakeTcap.StartAsync();
        await using var _ = tcap.Server;
        tcap.Add(1, "MD5", Bulwark.Core.Signals.KnownContent.KnownSignalTypes.Md5Hex("synthetic clip one"));
        tcap.Add(2, "MD5", Bulwark.Core.Signals.KnownContent.KnownSignalTypes.Md5Hex("synthetic clip two"));
        await using var db = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "db", "migrate")).ExitCode);
        var config = Config(db, "good", new { Name = "tcap", Kind = "tcap", Url = tcap.Server.Url, Bank = "tcap-hashes", FakeTcap.Username, FakeTcap.Password, Alerts = false });
        Task<CliRun> Run(params string[] args) => CliRunner.RunAsync(db, [.. args, "--config", config]);

        var list = await Run("exchanges", "list");
        Assert.Equal(0, list.ExitCode);
        var lines = list.Out.Trim().Split('\n');
        Assert.StartsWith("name,kind,bank,status,entries", lines[0]);
        Assert.StartsWith("tcap,tcap,tcap-hashes,active,0,0,0,", lines[1]);
        Assert.DoesNotContain(FakeTcap.Password, list.Out);

        var sync = await Run("exchanges", "sync", "tcap");
        Assert.Equal(0, sync.ExitCode);
        Assert.Contains("tcap: ok; 1 page(s): 2 created", sync.Out);
        Assert.StartsWith("tcap,tcap,tcap-hashes,active,2,0,0,", (await Run("exchanges", "list")).Out.Trim().Split('\n')[1]);

        Assert.DoesNotContain(FakeTcap.Password, sync.Out + sync.Err);

        // The partner fails (each CLI run logs in afresh: here the log-in answers 500): exit 1, the reason on stderr, where the next run resumes.
        tcap.Server.Faults.Enqueue(Fault.Http500);
        var failed = await Run("exchanges", "sync", "tcap");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("error: page 1: TCAP answered HTTP 500", failed.Err);
        Assert.Contains("resumes from checkpoint after:1767225602,2|alerts:", failed.Err);
        Assert.Contains("HTTP 500", (await Run("exchanges", "list")).Out);

        var paused = await Run("exchanges", "pause", "tcap", "--reason", "partner maintenance");
        Assert.Equal((0, "tcap: paused"), (paused.ExitCode, paused.Out.Trim()));
        Assert.Contains("tcap,tcap,tcap-hashes,paused,", (await Run("exchanges", "list")).Out);
        Assert.Equal("tcap: active", (await Run("exchanges", "resume", "tcap")).Out.Trim());

        var feedback = await Run("exchanges", "feedback");
        Assert.Equal((0, "id,exchange,item,opinion,case,decided_by,status,attempts,created,sent,last_error"), (feedback.ExitCode, feedback.Out.Trim()));

        var published = await Run("exchanges", "publish", "shared", "--bank", "tcap-hashes", "--label", "from:cli");
        Assert.Equal(0, published.ExitCode);
        Assert.Contains("-----BEGIN PUBLIC KEY-----", published.Out);

        // Bad input: named, exit 1, no stack trace.
        foreach (var (args, message) in new[]
        {
            (new[] { "exchanges", "sync", "nobody" }, "No exchange partner named 'nobody'"),
            (new[] { "exchanges", "pause", "nobody" }, "No exchange partner named 'nobody'"),
            (new[] { "exchanges", "resume", "tcap", "--reason", new string('x', 1001) }, "reason must be at most 1000 characters"),
            (new[] { "exchanges", "publish", "other", "--bank", "no-such-bank" }, "no-such-bank"),
        })
        {
            var bad = await Run(args);
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains(message, bad.Err);
            Assert.DoesNotContain("   at ", bad.Err);
        }

        // A bad configuration stops the command with what is wrong, before anything runs.
        var wrongKind = Config(db, "bad-kind", new { Name = "tcap", Kind = "carrier-pigeon", Url = tcap.Server.Url, Bank = "b" });
        var noGroup = Config(db, "no-group", new { Name = "te", Kind = "threatexchange", Url = "https://graph.example", Bank = "te" });
        // A TCAP partner written for the first, assumed adapter: its keys are refused with the names of the ones that replaced them.
        var oldTcap = Config(db, "old-tcap", new { Name = "tcap", Kind = "tcap", Url = tcap.Server.Url, Bank = "tcap-hashes", Token = "old-static-token|secret", Ideologies = new[] { "far-right" } });
        foreach (var (file, message) in new[]
        {
            (wrongKind, "Kind must be one of threatexchange, tcap, file, bulwark (got 'carrier-pigeon')"), (noGroup, "PrivacyGroup is required"),
            (oldTcap, "Token is no longer read for a TCAP partner: TCAP issues its token at log-in. Remove Token and set Username and Password"),
            (oldTcap, "Ideologies is no longer read for a TCAP partner: TCAP's hash list takes one Ideology (islamist, far-right, all)"),
        })
        {
            var bad = await CliRunner.RunAsync(db, "exchanges", "list", "--config", file);
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("error: ", bad.Err);
            Assert.Contains(message, bad.Err);
            Assert.DoesNotContain("   at ", bad.Err);
            Assert.DoesNotContain("secret", bad.Err);
        }
    }
}
