using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Queue.JetStream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Queue.Cluster;

/// <summary>
/// The deployment of scripts/cluster.sh, made by the same steps from C#: a three-node JetStream cluster with the work stream
/// in 3 replicas, PostgreSQL (the suite's server, which the PostgreSQL test restarts), one API process and three worker
/// processes of Bulwark.Server. Started once for the class; each test adds 3,000 acknowledged events and one fault.
/// </summary>
public sealed class ClusterFixture : IAsyncDisposable
{
    public const int Workers = 3;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;
    private TestDatabase? _db;
    private ServiceProvider? _core;
    private HttpClient? _http;
    private readonly List<ServerProcess> _processes = [];
    private Dictionary<string, string?> _settings = [];

    public NatsCluster Nats { get; } = new();
    public List<ServerProcess> WorkerProcesses { get; } = [];
    /// <summary>The API process (roles api, scheduler, webhooks): ingest and the outbox relay to JetStream.</summary>
    public ServerProcess Api => _processes[0];
    public int Acknowledged { get; private set; }
    public IBulwarkDbFactory Dbs => _core!.GetRequiredService<IBulwarkDbFactory>();

    public async Task EnsureStartedAsync()
    {
        JetStreamHarness.RequireNats(); // the suite provides nats-server (and this class starts its own three)
        TestDatabase.RequirePostgres();
        await _gate.WaitAsync();
        try
        {
            if (_started) return;
            _db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
            await Nats.StartAsync();
            _settings = _db.Settings();
            _settings["Bulwark:Queue:Provider"] = "JetStream";
            _settings["Bulwark:Queue:JetStream:Url"] = Nats.Urls;
            _settings["Bulwark:Queue:JetStream:Replicas"] = "3";
            _settings["Bulwark:Pipeline:LeaseSeconds"] = "3";
            _settings["Bulwark:Pipeline:BatchSize"] = "50";
            _settings["Bulwark:Pipeline:BackoffBaseMilliseconds"] = "200";
            _settings["Bulwark:Pipeline:BackoffMaxMilliseconds"] = "2000";
            _core = new ServiceCollection().AddLogging()
                .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(_settings).Build()).BuildServiceProvider();
            await _core.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            var key = (await _core.GetRequiredService<ApiKeyService>().CreateAsync("cluster", Scopes.All, "test", default)).Key;

            var api = new ServerProcess(new(_settings) { ["Bulwark:Roles"] = "api,scheduler,webhooks" });
            _processes.Add(api);
            for (var i = 0; i < Workers; i++) WorkerProcesses.Add(NewWorker());
            // All at once, as a fresh deployment starts (start-up is idempotent under concurrency).
            await Task.WhenAll(_processes.Select(p => p.StartAsync()));
            _http = new HttpClient { BaseAddress = new Uri(api.Url), Timeout = TimeSpan.FromMinutes(2) };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            _started = true;
        }
        finally { _gate.Release(); }
    }

    public ServerProcess NewWorker()
    {
        var worker = new ServerProcess(new(_settings) { ["Bulwark:Roles"] = "worker" });
        _processes.Add(worker);
        return worker;
    }

    /// <summary>Posts <paramref name="count"/> events in batches of 1,000; every one must be acknowledged (accepted).</summary>
    public async Task IngestAsync(string prefix, int count)
    {
        for (var start = 0; start < count; start += 1000)
        {
            var n = Math.Min(1000, count - start);
            var batch = "{\"events\":[" + string.Join(",", Enumerable.Range(start, n).Select(i =>
                $"{{\"id\":\"{prefix}-{i}\",\"kind\":\"text\",\"text\":\"cluster event {prefix} {i}\",\"language\":\"en\"}}")) + "]}";
            using var response = await _http!.PostAsync("/api/v1/content/batch", new StringContent(batch, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            Assert.Equal(n, body.GetProperty("accepted").GetInt32());
            Acknowledged += n;
        }
    }

    /// <summary>
    /// Posts <paramref name="count"/> events in batches of <paramref name="batchSize"/> from <paramref name="lanes"/> concurrent
    /// clients, as a platform does: a batch that gets no answer (the API is down or restarting, a connection reset, a 5xx) is
    /// sent again, unchanged, until it is acknowledged; ingest is idempotent (same id and content: <c>existing</c>), so a batch
    /// that was stored before its answer was lost is acknowledged once. <paramref name="afterBatch"/> runs in lane 0 after
    /// that lane's batch number <paramref name="faultAfter"/> was acknowledged, while the other lanes keep sending.
    /// Returns how many sends failed and were repeated.
    /// </summary>
    public async Task<int> IngestRetryingAsync(string prefix, int count, int batchSize, int lanes, int faultAfter, Func<Task> afterBatch)
    {
        var batches = Enumerable.Range(0, (count + batchSize - 1) / batchSize).ToList();
        var retried = 0;
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async lane =>
        {
            var sent = 0;
            foreach (var b in batches.Where(b => b % lanes == lane))
            {
                var start = b * batchSize;
                var n = Math.Min(batchSize, count - start);
                var body = "{\"events\":[" + string.Join(",", Enumerable.Range(start, n).Select(i =>
                    $"{{\"id\":\"{prefix}-{i}\",\"kind\":\"text\",\"text\":\"cluster event {prefix} {i}\",\"language\":\"en\"}}")) + "]}";
                string? last = null;
                var acknowledged = await Eventually.UntilAsync(async () =>
                {
                    try
                    {
                        using var response = await _http!.PostAsync("/api/v1/content/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                        var text = await response.Content.ReadAsStringAsync();
                        if ((int)response.StatusCode >= 500) { last = $"{(int)response.StatusCode} {text}"; Interlocked.Increment(ref retried); return false; }
                        Assert.True(response.IsSuccessStatusCode, text); // a 4xx is a bug, not a fault to retry
                        var result = JsonSerializer.Deserialize<JsonElement>(text);
                        Assert.Equal(n, result.GetProperty("accepted").GetInt32() + result.GetProperty("existing").GetInt32());
                        return true;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        last = ex.Message;
                        Interlocked.Increment(ref retried);
                        await Task.Delay(100); // a client's pause before sending again, not a wait for the server
                        return false;
                    }
                });
                Assert.True(acknowledged, $"batch {b} never acknowledged: {last}\n{Logs()}");
                lock (_processes) Acknowledged += n;
                if (lane == 0 && ++sent == faultAfter) await afterBatch();
            }
        }));
        return retried;
    }

    /// <summary>Versions decided so far, or -1 while the database cannot be read (it may be restarting).</summary>
    public async Task<long> DecidedAsync()
    {
        try
        {
            await using var db = Dbs.Create();
            return await db.ContentVersions.LongCountAsync(v => v.Status == ContentStatus.Decided);
        }
        catch (Exception) { return -1; }
    }

    /// <summary>Waits for every acknowledged event to be decided and the outbox to be empty, then checks each was decided once.</summary>
    public async Task AssertAllDecidedOnceAsync()
    {
        long decided = 0, outbox = -1;
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await using var db = Dbs.Create();
                decided = await db.ContentVersions.LongCountAsync(v => v.Status == ContentStatus.Decided);
                outbox = await db.WorkItems.LongCountAsync();
            }
            catch (Exception) { /* the database may be restarting */ }
            return decided >= Acknowledged && outbox == 0;
        });
        Assert.True(decided == Acknowledged, $"decided {decided} of {Acknowledged} acknowledged; outbox {outbox}\n{Logs()}");
        Assert.Equal(0, outbox); // nothing left to relay, nothing dead-lettered
        await using var final = Dbs.Create();
        var perVersion = await final.Decisions.GroupBy(d => d.ContentVersionId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Acknowledged, perVersion.Count);
        Assert.All(perVersion, n => Assert.Equal(1, n));
        var audited = await final.AuditEntries.Where(e => e.Action == "content.decided").GroupBy(e => e.Subject).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Acknowledged, audited.Count);
        Assert.All(audited, n => Assert.Equal(1, n));
        Assert.True((await _core!.GetRequiredService<AuditVerifier>().VerifyAsync(default)).Intact);
    }

    private string Logs() => string.Join("\n---\n", _processes.Select(p => p.Output.Length > 3000 ? p.Output[^3000..] : p.Output));

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        foreach (var p in _processes) p.Dispose();
        Nats.Dispose();
        if (_core is not null) await _core.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
    }
}

[Collection(Reliability.SerialCollection.Name)]
public class ClusterFaultTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const int Events = 3000;

    [Fact]
    public async Task A_worker_SIGKILLed_mid_batch_loses_nothing_and_decides_nothing_twice()
    {
        await cluster.EnsureStartedAsync();
        var before = await cluster.DecidedAsync();
        await cluster.IngestAsync("kill", Events);
        Assert.True(await Eventually.UntilAsync(async () => await cluster.DecidedAsync() > before), "no progress before the kill");
        var victim = cluster.WorkerProcesses[0];
        victim.Kill(); // its unacknowledged messages come back after AckWait (3 s) to the other workers
        cluster.WorkerProcesses.Remove(victim);
        var replacement = cluster.NewWorker();
        cluster.WorkerProcesses.Add(replacement);
        await replacement.StartAsync();
        await cluster.AssertAllDecidedOnceAsync();
    }

    [Fact]
    public async Task A_NATS_node_stopped_and_restarted_leaves_the_replicated_stream_serving()
    {
        await cluster.EnsureStartedAsync();
        var before = await cluster.DecidedAsync();
        await cluster.IngestAsync("nats-a", Events / 2);
        Assert.True(await Eventually.UntilAsync(async () => await cluster.DecidedAsync() > before), "no progress before the stop");
        cluster.Nats.Stop(0);
        // With one of three nodes down the stream (3 replicas) keeps its quorum: events acknowledged now are decided too.
        await cluster.IngestAsync("nats-b", Events / 2);
        await cluster.AssertAllDecidedOnceAsync();
        await cluster.Nats.RestartAsync(0);
        await cluster.IngestAsync("nats-c", 100); // and the cluster serves on with the node back
        await cluster.AssertAllDecidedOnceAsync();
    }

    [Fact]
    public async Task The_API_SIGKILLed_and_restarted_during_ingest_loses_no_acknowledged_event_and_decides_each_once()
    {
        await cluster.EnsureStartedAsync();
        var before = cluster.Acknowledged;
        var restarted = false;
        // Two clients send 3,000 events in batches of 50; after the first client's fifth batch the API dies (SIGKILL: no
        // shutdown, rows in the outbox not yet relayed to JetStream, a batch of the other client possibly half-way) and
        // starts again on the same address. Every batch is resent until acknowledged, as a platform does.
        var retried = await cluster.IngestRetryingAsync("api", Events, batchSize: 50, lanes: 2, faultAfter: 5, async () =>
        {
            cluster.Api.Kill();
            await cluster.Api.StartAsync();
            restarted = true;
        });
        Assert.True(restarted);
        Assert.Equal(before + Events, cluster.Acknowledged);
        Assert.True(retried > 0, "no send failed: the API was not down while the other client was sending");
        await cluster.AssertAllDecidedOnceAsync();
    }

    [Fact]
    public async Task PostgreSQL_restarted_during_processing_loses_nothing_and_decides_nothing_twice()
    {
        var restart = Environment.GetEnvironmentVariable("BULWARK_TEST_PG_RESTART");
        TestDatabase.RequirePostgres();
        if (string.IsNullOrEmpty(restart))
        {
            if (TestDatabase.ServicesRequired) Assert.Fail("BULWARK_TEST_PG_RESTART is not set; ./test.sh sets it.");
            Assert.Skip("BULWARK_TEST_PG_RESTART not set: this test needs a PostgreSQL server it may restart (./test.sh provides one).");
        }
        await cluster.EnsureStartedAsync();
        var before = await cluster.DecidedAsync();
        await cluster.IngestAsync("pg", Events);
        Assert.True(await Eventually.UntilAsync(async () => await cluster.DecidedAsync() > before), "no progress before the restart");
        var psi = new System.Diagnostics.ProcessStartInfo("bash", ["-c", restart]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(p.ExitCode == 0, $"restart failed: {await p.StandardError.ReadToEndAsync()}");
        }
        await cluster.AssertAllDecidedOnceAsync();
    }
}
