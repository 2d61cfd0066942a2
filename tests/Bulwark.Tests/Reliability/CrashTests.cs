using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Reliability;

[Collection(SerialCollection.Name)]
public class CrashTests
{
    private const int Events = 2000;

    /// <summary>
    /// The server runs as its own process; 2,000 events are sent by concurrent clients that retry until acknowledged; the process
    /// is SIGKILLed mid-stream and restarted. Every acknowledged event must reach "decided" exactly once in effect.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_acknowledged_event_is_decided_exactly_once_across_a_SIGKILL(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var settings = db.Settings();
        settings["Bulwark:Pipeline:LeaseSeconds"] = "2";
        settings["Bulwark:Pipeline:BatchSize"] = "100";
        settings["Bulwark:Pipeline:PollMilliseconds"] = "50";
        await using var core = CoreFor(settings);
        await core.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var key = (await core.GetRequiredService<ApiKeyService>().CreateAsync("crash", Scopes.All, "test", default)).Key;

        using var server = new ServerProcess(settings);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var acknowledged = new ConcurrentDictionary<string, int>();
        var next = -1;
        var killAt = Events * 2 / 5;
        var killed = new TaskCompletionSource();
        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Events)
            {
                var id = $"crash-{i}";
                var body = $"{{\"id\":\"{id}\",\"kind\":\"text\",\"text\":\"event number {i}\",\"language\":\"en\"}}";
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 600, $"{id} was never acknowledged");
                    try
                    {
                        using var response = await http.PostAsync("/api/v1/content", new StringContent(body, Encoding.UTF8, "application/json"));
                        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                        {
                            acknowledged[id] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
                            break;
                        }
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    await Task.Delay(50); // the server is down: retry, as a real client would
                }
                if (acknowledged.Count >= killAt && killed.TrySetResult()) { }
            }
        })).ToList();

        await killed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        server.Kill();
        await Task.Delay(500);
        await server.StartAsync();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(Events, acknowledged.Count);

        // Wait for the queue to drain (bounded), then check the records directly.
        var dbs = core.GetRequiredService<IBulwarkDbFactory>();
        await Eventually.UntilAsync(async () =>
        {
            await using var check = dbs.Create();
            return !await check.WorkItems.AnyAsync();
        });
        await using var read = dbs.Create();
        Assert.Equal(0, await read.WorkItems.CountAsync());
        var versions = await read.ContentVersions.Where(v => v.ContentId.StartsWith("crash-")).ToListAsync();
        Assert.Equal(Events, versions.Count); // no event stored twice as a new version
        Assert.All(versions, v => Assert.Equal(ContentStatus.Decided, v.Status));
        var decisions = await read.Decisions.GroupBy(d => d.ContentVersionId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Events, decisions.Count);
        Assert.All(decisions, n => Assert.Equal(1, n));
        var audited = await read.AuditEntries.Where(e => e.Action == "content.decided").GroupBy(e => e.Subject).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Events, audited.Count);
        Assert.All(audited, n => Assert.Equal(1, n));
        Assert.True((await core.GetRequiredService<AuditVerifier>().VerifyAsync(default)).Intact);
    }

    /// <summary>PostgreSQL restarts while the workers drain a backlog: they retry and recover, and nothing is lost.</summary>
    [Fact]
    public async Task Workers_recover_when_PostgreSQL_restarts_mid_processing()
    {
        var restart = Environment.GetEnvironmentVariable("BULWARK_TEST_PG_RESTART");
        TestDatabase.RequirePostgres();
        if (string.IsNullOrEmpty(restart))
        {
            if (TestDatabase.ServicesRequired) Assert.Fail("BULWARK_TEST_PG_RESTART is not set; ./test.sh sets it.");
            Assert.Skip("BULWARK_TEST_PG_RESTART not set: this test needs a PostgreSQL server it may restart (./test.sh provides one).");
        }
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Postgres, new()
        {
            ["Bulwark:Pipeline:BatchSize"] = "50",
            ["Bulwark:Pipeline:BackoffBaseMilliseconds"] = "200",
            ["Bulwark:Pipeline:BackoffMaxMilliseconds"] = "2000",
            ["Bulwark:Pipeline:LeaseSeconds"] = "5",
        });
        const int total = 3000;
        for (var start = 0; start < total; start += 1000)
        {
            var batch = "{\"events\":[" + string.Join(",", Enumerable.Range(start, 1000).Select(i => $"{{\"id\":\"pg-{i}\",\"kind\":\"text\",\"text\":\"t{i}\"}}")) + "]}";
            var response = await host.Admin.PostAsync("/api/v1/content/batch", new StringContent(batch, Encoding.UTF8, "application/json"));
            Assert.Equal(1000, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        }

        var psi = new System.Diagnostics.ProcessStartInfo("bash", ["-c", restart!]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(p.ExitCode == 0, $"restart failed: {await p.StandardError.ReadToEndAsync()}");
        }

        var dbs = host.Services.GetRequiredService<IBulwarkDbFactory>();
        // An acknowledgement lost to the restart leaves items leased; they come back when the lease expires and are then
        // completed without a second decision. So wait for both: everything decided and the queue empty.
        long decided = 0, pending = -1;
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await using var db = dbs.Create();
                decided = await db.ContentVersions.LongCountAsync(v => v.Status == ContentStatus.Decided);
                pending = await db.WorkItems.LongCountAsync();
            }
            catch (Exception) { /* the server may still be coming back */ }
            return decided >= total && pending == 0;
        });
        Assert.Equal(total, decided);
        await using var final = dbs.Create();
        Assert.Equal(0, await final.WorkItems.CountAsync());
        Assert.Equal(total, await final.Decisions.CountAsync());
    }

    private static ServiceProvider CoreFor(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
