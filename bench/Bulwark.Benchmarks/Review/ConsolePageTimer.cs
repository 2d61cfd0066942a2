using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Bulwark.Benchmarks.Review;

/// <summary>
/// Times the console's rendered queue and case pages over HTTP against a running server (see bench/scripts/console-pages.sh,
/// which seeds 100,000 open cases and 1,000,000 signals with <see cref="ReviewQueueBenchmarks"/>'s seeding and starts the
/// server). Signs in through the login form like a browser (antiforgery token and cookies), then requests each page in turn;
/// the baseline is <c>/health/live</c> in the same loop: the cost of a request that renders nothing.
/// Usage: <c>console-pages BASEURL USER PASSWORD QUEUE CASEID REQUESTS</c>.
/// </summary>
public static partial class ConsolePageTimer
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 6) { Console.Error.WriteLine("usage: console-pages BASEURL USER PASSWORD QUEUE CASEID REQUESTS"); return 2; }
        var (baseUrl, user, password, queue, caseId, requests) = (args[0].TrimEnd('/'), args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };

        var form = await http.GetStringAsync("/login");
        var token = TokenPattern().Match(form) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on /login");
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in failed: {(int)login.StatusCode}");

        var pages = new (string Name, string Path)[] { ("baseline /health/live", "/health/live"), ($"queue page /queues/{queue}", $"/queues/{queue}"), ($"case page /cases/{caseId}", $"/cases/{caseId}"),
            // Not under the 150 ms target (which is for the default page): the largest page, for a bulk decision of 1,000.
            ($"queue page, 1,000 rows /queues/{queue}?size=1000", $"/queues/{queue}?size=1000") };
        foreach (var (_, path) in pages)
            for (var i = 0; i < 5; i++) await FetchAsync(http, path); // warm-up: JIT, caches, connection
        var times = pages.Select(_ => new List<double>(requests)).ToArray();
        for (var i = 0; i < requests; i++)
            for (var p = 0; p < pages.Length; p++)
                times[p].Add(await FetchAsync(http, pages[p].Path));

        Console.WriteLine($"{requests} requests per page, interleaved; {Environment.ProcessorCount} cores");
        Console.WriteLine("| page | p50 | p95 | max |");
        Console.WriteLine("|---|---|---|---|");
        for (var p = 0; p < pages.Length; p++)
        {
            var sorted = times[p].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pages[p].Name} | {Pct(sorted, 0.50):0.0} ms | {Pct(sorted, 0.95):0.0} ms | {sorted[^1]:0.0} ms |"));
        }
        return 0;
    }

    private static async Task<double> FetchAsync(HttpClient http, string path)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        return elapsed;
    }

    private static double Pct(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")] private static partial Regex TokenPattern();
}
