using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Queue.JetStream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Queue;

/// <summary>
/// Item 6 of issue 22: <c>/metrics</c> shows queue depth, lag, redeliveries and dead letters for both queue providers, and
/// <c>/health/ready</c> reports the broker. Serial: another host disposing its meter named "Bulwark" in parallel empties
/// this host's <c>/metrics</c> (see StageTimingTests).
/// </summary>
[Collection(Reliability.SerialCollection.Name)]
public class QueueMetricsTests
{
    private static long? Gauge(string metrics, string name)
    {
        var m = Regex.Match(metrics, $@"^{Regex.Escape(name)}(?:\{{[^}}]*\}})? (\d+)", RegexOptions.Multiline);
        return m.Success ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static async Task PostAsync(ApiHost host, params string[] ids)
    {
        foreach (var id in ids)
        {
            var response = await host.Admin.PostAsync("/api/v1/content", new StringContent(
                $"{{\"id\":\"{id}\",\"kind\":\"text\",\"text\":\"queued {id}\",\"language\":\"en\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    /// <summary>Waits until every named gauge shows its value on /metrics; the message shows what the page said.</summary>
    private static async Task ExpectAsync(ApiHost host, params (string Name, long Value)[] expected)
    {
        var page = "";
        var ok = await Eventually.UntilAsync(async () =>
        {
            page = await host.Admin.GetStringAsync("/metrics");
            return expected.All(e => Gauge(page, e.Name) == e.Value);
        });
        Assert.True(ok, string.Join(", ", expected.Select(e => $"{e.Name}: expected {e.Value}, shows {Gauge(page, e.Name)?.ToString() ?? "nothing"}")));
    }

    private static async Task DeadLetterOneAsync(ApiHost host)
    {
        // As the listener does after the last attempt (the row stays, marked), without waiting for attempts to run out.
        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var row = await db.WorkItems.OrderBy(w => w.Id).FirstAsync();
        row.DeadLettered = true;
        row.Attempts = 3;
        await db.SaveChangesAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_database_queue_reports_depth_lag_and_dead_letters(DatabaseProvider provider)
    {
        // An API-only process: nothing is claimed, so what was accepted waits.
        await using var host = await ApiHost.StartAsync(provider, new() { ["Bulwark:Roles"] = "api" });
        await PostAsync(host, "m-1", "m-2", "m-3");
        await ExpectAsync(host, ("bulwark_queue_depth", 3), ("bulwark_queue_lag", 3), ("bulwark_queue_in_flight", 0),
            ("bulwark_queue_redelivered", 0), ("bulwark_queue_dead_letters", 0));
        await DeadLetterOneAsync(host);
        await ExpectAsync(host, ("bulwark_queue_depth", 2), ("bulwark_queue_lag", 2), ("bulwark_queue_dead_letters", 1));
    }

    [Fact]
    public async Task The_JetStream_queue_reports_depth_lag_and_dead_letters()
    {
        JetStreamHarness.RequireNats();
        var js = JetStreamHarness.UniqueOptions();
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Postgres, new()
        {
            ["Bulwark:Roles"] = "api",
            ["Bulwark:Queue:Provider"] = "JetStream",
            ["Bulwark:Queue:JetStream:Url"] = js.Url,
            ["Bulwark:Queue:JetStream:Stream"] = js.Stream,
            ["Bulwark:Queue:JetStream:Subject"] = js.Subject,
            ["Bulwark:Queue:JetStream:Consumer"] = js.Consumer,
        });
        await PostAsync(host, "j-1", "j-2", "j-3");
        // Relayed into the stream (the outbox empties), waiting on the consumer: lag 3, nobody holding them.
        await ExpectAsync(host, ("bulwark_queue_depth", 3), ("bulwark_queue_lag", 3), ("bulwark_queue_in_flight", 0),
            ("bulwark_queue_redelivered", 0), ("bulwark_queue_dead_letters", 0));
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
            return !await db.WorkItems.AnyAsync(w => !w.DeadLettered);
        }), "the relay did not empty the outbox");
        await PostAsync(host, "j-4");
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
            return !await db.WorkItems.AnyAsync(w => !w.DeadLettered);
        }), "the relay did not empty the outbox");
        // A dead letter is a row in the database for this queue too.
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            db.WorkItems.Add(new Core.Storage.WorkItem
            {
                ContentVersionId = await db.ContentVersions.Select(v => v.Id).FirstAsync(), Attempts = 3, DeadLettered = true,
                LastError = "test", EnqueuedAt = DateTimeOffset.UtcNow, DeadLetteredAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await ExpectAsync(host, ("bulwark_queue_depth", 4), ("bulwark_queue_lag", 4), ("bulwark_queue_dead_letters", 1));
    }

    [Fact]
    public async Task An_unreachable_broker_makes_the_process_degraded_while_ingest_still_accepts()
    {
        TestDatabase.RequirePostgres();
        var nobody = $"nats://127.0.0.1:{Api.LocalOrigin.FreePort()}"; // nothing listens there
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Postgres, new()
        {
            ["Bulwark:Roles"] = "api",
            ["Bulwark:Queue:Provider"] = "JetStream",
            ["Bulwark:Queue:JetStream:Url"] = nobody,
        });
        await PostAsync(host, "down-1");
        // Degraded, not unready (once the indexes have loaded): the outbox keeps what is accepted.
        JsonElement body = default;
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            var ready = await host.Admin.GetAsync("/health/ready");
            body = await ready.Content.ReadFromJsonAsync<JsonElement>();
            return ready.StatusCode == HttpStatusCode.OK;
        }), body.ToString());
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        var broker = body.GetProperty("checks").GetProperty("broker");
        Assert.Equal("degraded", broker.GetProperty("status").GetString());
        Assert.Contains(nobody, broker.GetProperty("description").GetString());
    }
}
