using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bulwark.Core;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Queue.JetStream;

/// <summary>
/// The contract of issue 22: an API-only and a worker-only process of the same binary, on the same PostgreSQL and NATS
/// server, together decide what the API accepted — here with the first worker SIGKILLed mid-stream and a second one taking over.
/// </summary>
[Collection(Reliability.SerialCollection.Name)]
public class ScaleOutTests
{
    private const int Events = 600;

    [Fact]
    public async Task An_api_process_and_worker_processes_decide_every_acknowledged_event_once_across_a_worker_SIGKILL()
    {
        JetStreamHarness.RequireNats();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var js = JetStreamHarness.UniqueOptions();
        var settings = db.Settings();
        settings["Bulwark:Queue:Provider"] = "JetStream";
        settings["Bulwark:Queue:JetStream:Url"] = js.Url;
        settings["Bulwark:Queue:JetStream:Stream"] = js.Stream;
        settings["Bulwark:Queue:JetStream:Subject"] = js.Subject;
        settings["Bulwark:Queue:JetStream:Consumer"] = js.Consumer;
        settings["Bulwark:Pipeline:LeaseSeconds"] = "3";
        settings["Bulwark:Pipeline:BatchSize"] = "50";
        await using var core = new ServiceCollection().AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        await core.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var key = (await core.GetRequiredService<ApiKeyService>().CreateAsync("scale-out", Scopes.All, "test", default)).Key;

        using var api = new ServerProcess(new(settings) { ["Bulwark:Roles"] = "api" });
        using var worker = new ServerProcess(new(settings) { ["Bulwark:Roles"] = "worker" });
        using var successor = new ServerProcess(new(settings) { ["Bulwark:Roles"] = "worker,webhooks,scheduler" });
        // One after the other: two processes starting at once on a fresh database race in start-up seeding (console roles).
        await api.StartAsync();
        await worker.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(api.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var acknowledged = new ConcurrentBag<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Events)
            {
                var body = $"{{\"id\":\"so-{i}\",\"kind\":\"text\",\"text\":\"scale-out event {i}\",\"language\":\"en\"}}";
                using var response = await http.PostAsync("/api/v1/content", new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                acknowledged.Add($"so-{i}");
            }
        })));
        Assert.Equal(Events, acknowledged.Count);

        var dbs = core.GetRequiredService<IBulwarkDbFactory>();
        async Task<int> DecidedAsync()
        {
            await using var read = dbs.Create();
            return await read.ContentVersions.CountAsync(v => v.Status == ContentStatus.Decided);
        }
        // Kill the worker once it has started deciding (mid-stream), then start another worker process.
        Assert.True(await Eventually.UntilAsync(async () => await DecidedAsync() > 0));
        worker.Kill();
        await successor.StartAsync();
        Assert.True(await Eventually.UntilAsync(async () => await DecidedAsync() == Events), $"decided {await DecidedAsync()} of {Events}");

        await using var final = dbs.Create();
        var decisions = await final.Decisions.GroupBy(d => d.ContentVersionId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Events, decisions.Count);
        Assert.All(decisions, n => Assert.Equal(1, n));
        var audited = await final.AuditEntries.Where(e => e.Action == "content.decided").GroupBy(e => e.Subject).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Events, audited.Count);
        Assert.All(audited, n => Assert.Equal(1, n));
        Assert.True((await core.GetRequiredService<AuditVerifier>().VerifyAsync(default)).Intact);
        Assert.Equal(0, await final.WorkItems.CountAsync()); // outbox drained, nothing dead-lettered
    }
}
