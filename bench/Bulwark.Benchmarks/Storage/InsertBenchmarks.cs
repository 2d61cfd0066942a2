using BenchmarkDotNet.Attributes;
using Bulwark.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Benchmarks.Storage;

/// <summary>
/// Inserting 1,000 content versions on SQLite: EF Core's SaveChanges (baseline: its SQLite provider sends one statement per
/// row) against <see cref="BulkInsert"/> (multi-row statements built from the same model). Both inside one transaction.
/// </summary>
[MemoryDiagnoser]
public class InsertBenchmarks
{
    private const int Rows = 1000;
    private string _dir = "";
    private string _connection = "";
    private DbContextOptions<SqliteBulwarkDbContext> _options = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "bulwark-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "bench.db") }.ToString();
        var builder = new DbContextOptionsBuilder<SqliteBulwarkDbContext>();
        StorageRegistration.ConfigureSqlite(builder, _connection, 60);
        _options = builder.Options;
        using var db = new SqliteBulwarkDbContext(_options);
        db.Database.Migrate();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private List<ContentVersion> Versions()
    {
        var round = Interlocked.Increment(ref _round);
        var now = DateTimeOffset.UnixEpoch;
        return Enumerable.Range(0, Rows).Select(i => new ContentVersion
        {
            ContentId = $"r{round}-{i}", Version = 1, Fingerprint = new string('a', 64), Status = ContentStatus.Queued, ReceivedAt = now,
            EventJson = "{\"id\":\"x\",\"kind\":\"text\",\"text\":\"about two hundred characters of caption text would sit here in a realistic event, so the row is not trivially small for the database to write out\"}",
        }).ToList();
    }

    [Benchmark(Baseline = true)]
    public async Task EfSaveChanges()
    {
        await using var db = new SqliteBulwarkDbContext(_options);
        await using var tx = await db.Database.BeginTransactionAsync();
        db.ContentVersions.AddRange(Versions());
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    [Benchmark]
    public async Task BulkInsertRows()
    {
        await using var db = new SqliteBulwarkDbContext(_options);
        await using var tx = await db.Database.BeginTransactionAsync();
        await BulkInsert.InsertAsync(db, Versions(), ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "Error", "ReceivedAt", "DecidedAt"], ["Id"], default);
        await tx.CommitAsync();
    }
}
