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

    internal DbContextOptions<SqliteBulwarkDbContext> Options => _options;

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

    internal List<ContentVersion> Versions()
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

    private static readonly string[] Columns = ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "Error", "ReceivedAt", "DecidedAt"];

    [Benchmark]
    public async Task BulkInsertRows()
    {
        await using var db = new SqliteBulwarkDbContext(_options);
        await using var tx = await db.Database.BeginTransactionAsync();
        await BulkInsert.InsertAsync(db, Versions(), Columns, ["Id"], default);
        await tx.CommitAsync();
    }

}

/// <summary>
/// The statement size of <see cref="BulkInsert"/> on SQLite: the same 1,000 rows inserted with statements of at most
/// <see cref="Parameters"/> parameters, rolled back rather than committed so the figure is the statements' CPU, not the
/// disk's fsync. Binding costs n²/2 name comparisons for a statement of n parameters (Microsoft.Data.Sqlite binds by name).
/// </summary>
[MemoryDiagnoser]
public class BulkInsertChunkBenchmarks
{
    private readonly InsertBenchmarks _rows = new();
    private DbContextOptions<SqliteBulwarkDbContext> _options = null!;
    private static readonly string[] Columns = ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "Error", "ReceivedAt", "DecidedAt"];

    [Params(BulkInsert.SqliteMaxParameters, 64, 100, 500)]
    public int Parameters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rows.Setup();
        _options = _rows.Options;
    }

    [GlobalCleanup]
    public void Cleanup() => _rows.Cleanup();

    [Benchmark]
    public async Task InsertRolledBack()
    {
        await using var db = new SqliteBulwarkDbContext(_options);
        await using var tx = await db.Database.BeginTransactionAsync();
        await BulkInsert.InsertAsync(db, _rows.Versions(), Columns, ["Id"], Parameters, default);
        await tx.RollbackAsync();
    }
}
