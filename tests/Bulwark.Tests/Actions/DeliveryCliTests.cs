using Bulwark.Core;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Actions;

/// <summary>`bulwark webhooks …` and `bulwark sor …` as a user runs them.</summary>
public class DeliveryCliTests
{
    private static Task<CliRun> Bulwark(TestDatabase db, params string[] args) => CliRunner.RunAsync(db, args);

    private static ServiceProvider Services(TestDatabase db) => new ServiceCollection().AddLogging()
        .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(db.Settings()).Build()).BuildServiceProvider();

    [Fact]
    public async Task Webhooks_are_created_listed_deleted_and_their_dead_letters_retried()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await Bulwark(db, "db", "migrate")).ExitCode);

        var create = await Bulwark(db, "webhooks", "create", "--name", "platform", "--url", "https://hooks.example.org/bulwark", "--kinds", "content.remove,account.*");
        Assert.True(create.ExitCode == 0, create.Err);
        Assert.Matches("Secret \\(shown once; verify signatures with it\\): whsec_[A-Za-z0-9_-]{43}", create.Out);
        var list = await Bulwark(db, "webhooks", "list");
        Assert.Equal("1,platform,https://hooks.example.org/bulwark,content.remove;account.*,True,0", list.Out.Split('\n')[1]);

        var bad = await Bulwark(db, "webhooks", "create", "--name", "internal", "--url", "http://192.168.1.10/hook");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--url: points to a forbidden address (private)", bad.Err);

        // A delivery that failed every attempt (made directly, as the worker would leave it).
        using (var sp = Services(db))
        {
            await using var ctx = sp.GetRequiredService<IBulwarkDbFactory>().Create();
            sp.GetRequiredService<IActionOutbox>().Enqueue(ctx, new PlatformAction("content.remove", "content", "video-1", "VE-THREAT", 7, "decision-7-content.remove"));
            await ctx.SaveChangesAsync();
            ctx.Add(new WebhookDeliveryRow { SubscriptionId = 1, ActionId = 1, Status = DeliveryStatus.Dead, Attempts = 10, LastError = "receiver answered HTTP 500" });
            await ctx.SaveChangesAsync();
        }
        var dead = await Bulwark(db, "webhooks", "deadletters", "list");
        Assert.StartsWith("1,platform,1,content.remove,decision-7-content.remove,10,,,receiver answered HTTP 500", dead.Out.Split('\n')[1]);
        Assert.Equal(1, (await Bulwark(db, "webhooks", "deadletters", "retry")).ExitCode);
        Assert.Contains("Requeued 1 delivery(ies).", (await Bulwark(db, "webhooks", "deadletters", "retry", "--all")).Out);

        Assert.Equal(0, (await Bulwark(db, "webhooks", "delete", "1")).ExitCode);
        var missing = await Bulwark(db, "webhooks", "delete", "1");
        Assert.Equal((1, "error: No webhook with id 1.\n"), (missing.ExitCode, missing.Err));
    }

    [Fact]
    public async Task Sor_export_writes_valid_batches_reports_invalid_ones_and_submit_needs_a_token()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await Bulwark(db, "db", "migrate")).ExitCode);
        using (var sp = Services(db))
        {
            await using var ctx = sp.GetRequiredService<IBulwarkDbFactory>().Create();
            for (var i = 0; i < 120; i++) sp.GetRequiredService<StatementOfReasonsService>().Record(ctx, SorFixtures.Input($"cli-{i}"));
            ctx.Add(new StatementRow { Puid = "cli-bad", Json = (SorFixtures.Valid with { Puid = "cli-bad", DecisionFacts = null }).ToJson(), CreatedAt = DateTimeOffset.UtcNow });
            await ctx.SaveChangesAsync();
        }
        var outDir = Path.Combine(db.Directory, "sor");
        var export = await Bulwark(db, "sor", "export", "--since", "2020-01-01", "--out", outDir);
        Assert.Equal(2, export.ExitCode);
        Assert.Contains("Exported 120 statement(s) in 2 file(s).", export.Out);
        Assert.Contains("cli-bad: decision_facts is required", export.Err);
        Assert.Equal(2, Directory.GetFiles(outDir, "statements-*.json").Length);

        var noDate = await Bulwark(db, "sor", "export", "--since", "last week", "--out", outDir);
        Assert.Equal((1, true), (noDate.ExitCode, noDate.Err.Contains("--since: 'last week' is not a date")));
        var noToken = await Bulwark(db, "sor", "submit");
        Assert.Equal((1, "error: No API token: pass --token or set BULWARK_DSA_TOKEN.\n"), (noToken.ExitCode, noToken.Err));

        await using var fake = await FakeTransparencyDatabase.StartAsync();
        var submit = await Bulwark(db, "sor", "submit", "--url", fake.BaseUri.ToString(), "--token", FakeTransparencyDatabase.Token, "--attempts", "2");
        Assert.Equal(2, submit.ExitCode); // the invalid statement is reported as rejected
        Assert.Contains("Stored 120, already stored 0, rejected 1, failed (still pending) 0.", submit.Out);
        Assert.Equal(120, fake.Stored.Count);
        using (var sp = Services(db))
        {
            await using var ctx = sp.GetRequiredService<IBulwarkDbFactory>().Create();
            Assert.Equal(120, await ctx.Set<StatementRow>().CountAsync(r => r.SubmissionStatus == SubmissionStatus.Stored));
        }
    }
}
