using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark loadgen</c>: drives a running server over HTTP and reports throughput and latency.
/// <c>--mode batch</c> sends text events through the batch API and waits until the queue has drained (accepted → decided → stored);
/// <c>--mode single</c> sends single events at a fixed rate (open loop: latency is measured from each request's scheduled time,
/// so a slow server cannot hide its queueing).
/// </summary>
public static class LoadgenCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Server base URL.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var key = new Option<string>("--key") { Description = "API key with ingest and read scopes.", Required = true };
        var mode = new Option<string>("--mode") { Description = "batch or single.", DefaultValueFactory = _ => "batch" };
        var events = new Option<int>("--events") { Description = "Events to send (batch mode).", DefaultValueFactory = _ => 100_000 };
        var batch = new Option<int>("--batch-size") { Description = "Events per batch request.", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent requests.", DefaultValueFactory = _ => 4 };
        var rate = new Option<int>("--rate") { Description = "Requests per second (single mode).", DefaultValueFactory = _ => 500 };
        var seconds = new Option<int>("--seconds") { Description = "Duration (single mode).", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed for generated texts.", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup-seconds") { Description = "Single mode: send at the same rate for this long first, unmeasured (connection pools, caches, JIT).", DefaultValueFactory = _ => 3 };
        var command = new Command("loadgen", "Measure end-to-end ingestion throughput or single-request latency against a running server.")
            { url, key, mode, events, batch, concurrency, rate, seconds, seed, warmup };
        command.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", parse.GetValue(key));
            var run = $"lg{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x}"; // clock-ok: only makes ids unique per run
            return parse.GetValue(mode) switch
            {
                "batch" => await BatchAsync(http, run, parse.GetValue(events), parse.GetValue(batch), parse.GetValue(concurrency), parse.GetValue(seed), ct),
                "single" => await SingleAsync(http, run, parse.GetValue(rate), parse.GetValue(seconds), parse.GetValue(warmup), parse.GetValue(seed), ct),
                var other => throw new CliException($"Unknown mode '{other}'; use batch or single."),
            };
        });
        return command;
    }

    private static readonly string[] Words =
        ["video", "today", "amazing", "news", "city", "match", "music", "dance", "recipe", "travel", "ciao", "bella", "oggi", "notizie", "partita", "school", "friends", "live", "weekend", "morning"];

    internal static string Event(string id, Random random)
    {
        var text = new StringBuilder();
        while (text.Length < 180) text.Append(Words[random.Next(Words.Length)]).Append(' ');
        return $"{{\"id\":\"{id}\",\"kind\":\"text\",\"account\":{{\"id\":\"acct-{random.Next(10_000)}\"}},\"text\":\"{text.ToString().TrimEnd()}\",\"language\":\"en\",\"region\":\"IT\"}}";
    }

    private static async Task<int> BatchAsync(HttpClient http, string run, int total, int batchSize, int concurrency, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var bodies = new List<string>();
        for (var start = 0; start < total; start += batchSize)
        {
            var n = Math.Min(batchSize, total - start);
            bodies.Add("{\"events\":[" + string.Join(",", Enumerable.Range(start, n).Select(i => Event($"{run}-{i}", random))) + "]}");
        }
        var stagesBefore = await ScrapeStagesAsync(http, ct);
        var clock = Stopwatch.StartNew();
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var response = await http.PostAsync("/api/v1/content/batch", new StringContent(bodies[i], Encoding.UTF8, "application/json"), ct);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
        }));
        var accepted = clock.Elapsed;
        long depth;
        do
        {
            await Task.Delay(100, ct);
            depth = (await http.GetFromJsonAsync<QueueState>("/api/v1/queue", ct))!.Depth;
        } while (depth > 0);
        var drained = clock.Elapsed;
        Console.WriteLine($"events={total} batch={batchSize} concurrency={concurrency} failed_requests={failures}");
        Console.WriteLine($"accepted in {accepted.TotalSeconds:F2} s = {total / accepted.TotalSeconds:F0} events/s");
        Console.WriteLine($"accepted+decided in {drained.TotalSeconds:F2} s = {total / drained.TotalSeconds:F0} events/s end to end");
        // The Prometheus exporter may answer from a scrape cache (300 ms by default): let it expire first.
        if (stagesBefore is not null) await Task.Delay(1000, ct);
        if (stagesBefore is not null && await ScrapeStagesAsync(http, ct) is { } stagesAfter)
        {
            Console.WriteLine("where an item's time goes (wall time per item, summed over items processed side by side; from /metrics):");
            Console.Write(stagesAfter.Since(stagesBefore).Render());
        }
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> SingleAsync(HttpClient http, string run, int rate, int seconds, int warmupSeconds, int seed, CancellationToken ct)
    {
        if (warmupSeconds > 0) await OpenLoopAsync(http, $"{run}-warm", rate, warmupSeconds, seed + 1, ct);
        var (latencies, failures) = await OpenLoopAsync(http, run, rate, seconds, seed, ct);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine($"requests={latencies.Length} rate={rate}/s failed={failures} (after {warmupSeconds} s of unmeasured warm-up)");
        Console.WriteLine($"latency ms: p50={P(0.50):F2} p90={P(0.90):F2} p99={P(0.99):F2} max={latencies[^1]:F2}");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(double[] Latencies, int Failures)> OpenLoopAsync(HttpClient http, string run, int rate, int seconds, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var total = rate * seconds;
        var bodies = Enumerable.Range(0, total).Select(i => Event($"{run}-s{i}", random)).ToArray();
        var latencies = new double[total];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var scheduled = TimeSpan.FromSeconds((double)i / rate);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                using var response = await http.PostAsync("/api/v1/content", new StringContent(bodies[index], Encoding.UTF8, "application/json"), ct);
                latencies[index] = (clock.Elapsed - scheduled).TotalMilliseconds;
                if ((int)response.StatusCode != 202) Interlocked.Increment(ref failures);
            }, ct));
        }
        await Task.WhenAll(tasks);
        Array.Sort(latencies);
        return (latencies, failures);
    }

    /// <summary>The server's stage histogram, or null (with a note) when /metrics cannot be read.</summary>
    private static async Task<StageSummary?> ScrapeStagesAsync(HttpClient http, CancellationToken ct)
    {
        try { return StageSummary.Parse(await http.GetStringAsync("/metrics", ct)); }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"stage times unavailable: /metrics answered {ex.StatusCode?.ToString() ?? ex.Message}");
            return null;
        }
    }

    private sealed record QueueState(long Depth, long DeadLettered);
}
