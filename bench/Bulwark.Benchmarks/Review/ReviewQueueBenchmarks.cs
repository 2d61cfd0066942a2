using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Bulwark.Core;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Benchmarks.Review;

/// <summary>
/// The console's two hot reads with 100,000 open cases (60,000 in the listed queue) and 1,000,000 stored signals: a queue
/// page (first, and 50,000 rows deep) through the precomputed, indexed sort key with keyset paging, against the same
/// ranking computed in ORDER BY (baseline) with OFFSET for the deep page; and the case-detail query.
/// PostgreSQL needs BULWARK_BENCH_POSTGRES (an empty database; it is seeded once and reused); without it only SQLite runs.
/// Run: BULWARK_BENCH_POSTGRES='Host=…;Database=…' dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*ReviewQueueBenchmarks*'
/// </summary>
[Config(typeof(Percentiles))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class ReviewQueueBenchmarks
{
    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95);
    }

    public const int Cases = 100_000, SignalsPerItem = 10, ListedQueueCases = 60_000, DeepOffset = 50_000, PageSize = 50;
    private const string Queue = "glorification";

    [ParamsSource(nameof(Providers))] public string Provider { get; set; } = "Sqlite";

    public static IEnumerable<string> Providers() =>
        Environment.GetEnvironmentVariable("BULWARK_BENCH_POSTGRES") is { Length: > 0 } ? ["Sqlite", "Postgres"] : ["Sqlite"];

    private ServiceProvider _services = null!;
    private ReviewQueueService _queues = null!;
    private ReviewDetailService _detail = null!;
    private IBulwarkDbFactory _dbs = null!;
    private string _deepCursor = "";
    private long _detailCase;

    /// <summary>The case whose detail is measured (a third of the way into the listed queue).</summary>
    public long DetailCaseId => _detailCase;

    [GlobalSetup]
    public void Setup()
    {
        var settings = new Dictionary<string, string?> { ["Bulwark:Database:Provider"] = Provider };
        settings["ConnectionStrings:Bulwark"] = Provider == "Postgres"
            ? Environment.GetEnvironmentVariable("BULWARK_BENCH_POSTGRES")
            : $"Data Source={Path.Combine(Path.GetTempPath(), "bulwark-bench-review.db")}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddLogging().AddBulwarkCore(configuration).BuildServiceProvider();
        _services.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        _dbs = _services.GetRequiredService<IBulwarkDbFactory>();
        _queues = _services.GetRequiredService<ReviewQueueService>();
        _detail = _services.GetRequiredService<ReviewDetailService>();
        SeedAsync().GetAwaiter().GetResult();
        using var db = _dbs.Create();
        var deep = db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Queue == Queue && c.Status == ReviewCaseStatus.Open)
            .OrderBy(c => c.SortKey).ThenBy(c => c.Id).Skip(DeepOffset - 1).Select(c => new { c.SortKey, c.Id }).First();
        _deepCursor = $"{deep.SortKey}:{deep.Id}";
        _detailCase = db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Queue == Queue).OrderBy(c => c.Id).Skip(Cases / 3).Select(c => c.Id).First();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task<List<ReviewCaseRow>> FirstPage_OrderByRankExpression() => RankedByExpression(0);

    [Benchmark]
    public Task<ReviewResult<ReviewPage>> FirstPage_SortKey() => _queues.ListAsync(Queue, null, PageSize, default);

    [Benchmark]
    public Task<List<ReviewCaseRow>> DeepPage_OrderByRankExpressionOffset() => RankedByExpression(DeepOffset);

    [Benchmark]
    public Task<ReviewResult<ReviewPage>> DeepPage_SortKeyKeyset() => _queues.ListAsync(Queue, _deepCursor, PageSize, default);

    [Benchmark]
    public Task<ReviewResult<CaseDetail>> CaseDetail() => _detail.GetAsync(_detailCase, default);

    // The ranking without the precomputed key: source rank, severity, confidence, reach, age computed in ORDER BY.
    private async Task<List<ReviewCaseRow>> RankedByExpression(int offset)
    {
        await using var db = _dbs.Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Queue == Queue && c.Status == ReviewCaseStatus.Open)
            .OrderBy(c => c.Source == "authority_order" || c.Source == "trusted_flagger" ? 0 : c.Source == "partner_alert" ? 1 : c.Source == "user_report" ? 2 : 3)
            .ThenByDescending(c => c.Severity).ThenByDescending(c => c.Confidence).ThenByDescending(c => c.Reach).ThenBy(c => c.Id)
            .Skip(offset).Take(PageSize).ToListAsync();
    }

    private async Task SeedAsync()
    {
        await using (var check = _dbs.Create())
            if (await check.Set<ReviewCaseRow>().CountAsync() >= Cases) return;
        var options = _services.GetRequiredService<ReviewOptions>();
        var rng = new Random(7);
        string[] sources = ["upload", "upload", "upload", "user_report", "partner_alert", "trusted_flagger", "authority_order"];
        string[] otherQueues = ["doi", "threat", "known-content", "ban-evasion"];
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        const int chunk = 5_000;
        for (var from = 0; from < Cases; from += chunk)
        {
            await using var db = _dbs.Create();
            await using var tx = await _dbs.BeginWriteAsync(db, default);
            var n = Math.Min(chunk, Cases - from);
            var versions = Enumerable.Range(from, n).Select(i => new ContentVersion
            {
                ContentId = $"bench-{i}", Version = 1, Fingerprint = new string('b', 64), Status = ContentStatus.Decided, ReceivedAt = start.AddSeconds(i),
                EventJson = $"{{\"id\":\"bench-{i}\",\"kind\":\"video\",\"account\":{{\"id\":\"acct-{i % 20_000}\"}},\"text\":\"SYNTHETIC benchmark caption {i}\",\"viewCount\":{i * 7 % 100_000}}}",
            }).ToList();
            var versionIds = await BulkInsert.InsertAsync(db, versions, ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "Error", "ReceivedAt", "DecidedAt"], ["Id"], default);
            var ids = versionIds.Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var items = Enumerable.Range(from, n).Select(i => new ContentItem { Id = $"bench-{i}", Kind = "video", AccountId = $"acct-{i % 20_000}", LatestVersion = 1, FirstSeenAt = start, UpdatedAt = start.AddSeconds(i) }).ToList();
            await BulkInsert.InsertAsync(db, items, ["Id", "Kind", "AccountId", "LatestVersion", "FirstSeenAt", "UpdatedAt"], null, default);
            var decisions = ids.Select((v, k) => new DecisionRow
            {
                ContentVersionId = v, ContentId = $"bench-{from + k}", Outcome = "review", Queue = Queue, Explanation = "SYNTHETIC: sent to review by a benchmark rule",
                Automated = true, DecidedAt = start.AddSeconds(from + k), Policy = "VE-GLORIFY", Priority = "normal",
                FiredJson = "[{\"rule\":\"glorify-classifier-review\",\"policy\":\"VE-GLORIFY\",\"mode\":\"enforce\",\"outcomes\":[\"review \\\"glorification\\\"\"],\"exception\":null,\"inputs\":[\"classifier.glorification 0.91\"]}]",
            }).ToList();
            var decisionIds = await BulkInsert.InsertAsync(db, decisions, ["ContentVersionId", "ContentId", "Outcome", "Queue", "Explanation", "RulesJson", "Automated", "DecidedAt", "Policy", "Priority", "ActionsJson", "FiredJson", "ExceptionApplied", "ShadowJson", "RuleSet", "ReviewedBy", "ReversedAt"], ["Id"], default);
            var signals = new List<SignalRow>(n * SignalsPerItem);
            for (var k = 0; k < n; k++)
                for (var s = 0; s < SignalsPerItem; s++)
                    signals.Add(new SignalRow
                    {
                        ContentVersionId = ids[k], Type = s == 0 ? "classifier.glorification" : s == 1 ? "hash.match" : "media.hashes", Source = "bench",
                        Score = s == 0 ? Math.Round(rng.NextDouble(), 3) : null, Distance = s == 1 ? rng.Next(0, 32) : null, Bank = s == 1 ? "bench-bank" : null,
                        Explanation = "SYNTHETIC benchmark signal", LabelsJson = "[\"synthetic\"]", CreatedAt = start,
                    });
            await BulkInsert.InsertAsync(db, signals, ["ContentVersionId", "Type", "Source", "Value", "Score", "Distance", "Bank", "BankEntryId", "LabelsJson", "Explanation", "CreatedAt"], null, default);
            var cases = new List<ReviewCaseRow>(n);
            for (var k = 0; k < n; k++)
            {
                var i = from + k;
                var queue = i % 5 < 3 ? Queue : otherQueues[i % otherQueues.Length];
                var c = ReviewCases.New(options, ReviewCaseKind.Content, queue, Convert.ToInt64(decisionIds[k][0], System.Globalization.CultureInfo.InvariantCulture),
                    $"bench-{i}", ids[k], $"acct-{i % 20_000}", "VE-GLORIFY", rng.Next(1, 5), rng.NextDouble(), i * 7 % 100_000, sources[rng.Next(sources.Length)], start.AddSeconds(i));
                cases.Add(c);
            }
            db.Set<ReviewCaseRow>().AddRange(cases);
            await db.SaveChangesAsync();
            await tx.CommitAsync(default);
        }
    }
}
