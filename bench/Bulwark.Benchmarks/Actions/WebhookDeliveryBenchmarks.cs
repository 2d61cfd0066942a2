using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Benchmarks.Actions;

/// <summary>
/// Webhook delivery of <see cref="Actions"/> actions to a local Kestrel receiver (same process, same 2 cores). Baseline: the
/// same bodies POSTed by a raw HttpClient with the same concurrency — no database, no signing, no bookkeeping. The measured
/// path is the dispatcher's whole loop on SQLite: fan-out into delivery rows, leased claims, HMAC-signed POSTs, recording
/// outcomes. Per-operation time is per action; actions/s = 1 s / that.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class WebhookDeliveryBenchmarks
{
    private const int Actions = 2000;
    private const int Concurrency = 32;
    private string _dir = "";
    private WebApplication _receiver = null!;
    private string _url = "";
    private ServiceProvider _services = null!;
    private WebhookDispatcher _dispatcher = null!;
    private HttpClient _raw = null!;
    private byte[][] _bodies = [];
    private int _round;
    private int _received;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.Run(async http =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref _received);
            http.Response.StatusCode = 204;
        });
        _receiver.StartAsync().GetAwaiter().GetResult();
        _url = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        _dir = Path.Combine(Path.GetTempPath(), "bulwark-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bulwark"] = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "bench.db") }.ToString(),
            ["Bulwark:Ingest:MediaPath"] = Path.Combine(_dir, "media"),
            ["Bulwark:Webhooks:KeysPath"] = Path.Combine(_dir, "keys"),
            ["Bulwark:Webhooks:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Webhooks:Concurrency"] = Concurrency.ToString(),
            ["Bulwark:Webhooks:BatchSize"] = "500",
        };
        _services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddSingleton(new Random(1))
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        _services.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        _services.GetRequiredService<WebhookService>().CreateAsync(new NewWebhook("bench", _url, "bench-secret-0123456789abcdefghij"), "bench", default).GetAwaiter().GetResult();
        _dispatcher = _services.GetRequiredService<WebhookDispatcher>();

        _raw = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false });
        _bodies = Enumerable.Range(0, Actions).Select(i => new ActionView(i, "content.remove", "content", $"video-{i}", "VE-GLORIFY", i, $"decision-{i}-content.remove",
            new Dictionary<string, string> { ["regions"] = "IT,GR" }, DateTimeOffset.UnixEpoch).ToJson()).ToArray();
    }

    [IterationSetup(Target = nameof(SignedDelivery))]
    public void EnqueueActions()
    {
        var round = Interlocked.Increment(ref _round);
        using var db = _services.GetRequiredService<IBulwarkDbFactory>().Create();
        var outbox = _services.GetRequiredService<IActionOutbox>();
        for (var i = 0; i < Actions; i++)
            outbox.Enqueue(db, new PlatformAction("content.remove", "content", $"video-{round}-{i}", "VE-GLORIFY", i, $"r{round}-decision-{i}-content.remove",
                new Dictionary<string, string> { ["regions"] = "IT,GR" }));
        db.SaveChanges();
    }

    // An iteration setup for the baseline too, so both run one invocation per iteration in the same job and get a ratio.
    [IterationSetup(Target = nameof(RawPost))]
    public void NothingToSetUp() { }

    [Benchmark(Baseline = true, OperationsPerInvoke = Actions, Description = "raw HttpClient POST (no signing, no database)")]
    public async Task RawPost()
    {
        await Parallel.ForEachAsync(_bodies, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (body, ct) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _raw.PostAsync(_url, content, ct);
            response.EnsureSuccessStatusCode();
        });
    }

    [Benchmark(OperationsPerInvoke = Actions, Description = "signed delivery through the dispatcher (SQLite)")]
    public async Task SignedDelivery()
    {
        var delivered = 0;
        while (delivered < Actions)
        {
            var round = await _dispatcher.RunOnceAsync("bench", default);
            if (round.Failed > 0) throw new InvalidOperationException($"{round.Failed} deliveries failed");
            delivered += round.Delivered;
            if (round.Claimed == 0 && round.FannedOut == 0) throw new InvalidOperationException($"stalled after {delivered} deliveries");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _services.Dispose();
        _receiver.StopAsync().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
