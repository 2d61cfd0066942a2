using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;

namespace Bulwark.Core.Storage;

/// <summary>Creates <see cref="BulwarkDbContext"/> instances for the configured provider, and opens write transactions.</summary>
public interface IBulwarkDbFactory
{
    DatabaseProvider Provider { get; }
    BulwarkDbContext Create();

    /// <summary>
    /// Begins a write transaction on <paramref name="db"/>. Every write goes through here: on SQLite, writers in this process
    /// queue on an async gate instead of colliding on the database lock, where SQLite's busy handler would make them sleep
    /// for milliseconds at a time (that sleeping, not the work, dominated tail latency).
    /// </summary>
    Task<WriteTransaction> BeginWriteAsync(BulwarkDbContext db, CancellationToken ct);
}

/// <summary>A write transaction; disposing it without <see cref="CommitAsync"/> rolls back. Always releases the write gate.</summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction _tx;
    private WriteGate? _gate;

    internal WriteTransaction(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, WriteGate? gate)
    {
        _tx = tx;
        _gate = gate;
    }

    /// <summary>Commits; the audit chain's turn (PostgreSQL, <see cref="Records.AuditChainLock"/>) passes on at once.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        try { await _tx.CommitAsync(ct); }
        finally { Records.AuditChainLock.Ended(_tx); }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _tx.DisposeAsync(); }
        finally
        {
            Records.AuditChainLock.Ended(_tx);
            Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}

internal sealed class BulwarkDbFactory<TContext>(IDbContextFactory<TContext> inner, DatabaseProvider provider) : IBulwarkDbFactory
    where TContext : BulwarkDbContext
{
    // SQLite has one writer per database; PostgreSQL needs no gate (row locks and SKIP LOCKED do the work). Urgent writes
    // (WritePriority: authority orders, webhook bookkeeping) are served before the batches waiting for it.
    private readonly WriteGate? _gate = provider == DatabaseProvider.Sqlite ? new WriteGate() : null;

    public DatabaseProvider Provider => provider;
    public BulwarkDbContext Create() => inner.CreateDbContext();

    public async Task<WriteTransaction> BeginWriteAsync(BulwarkDbContext db, CancellationToken ct)
    {
        if (_gate is not null) await _gate.WaitAsync(WritePriority.IsUrgent, ct);
        try
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            if (provider == DatabaseProvider.Postgres) Records.AuditChainLock.Track(tx); // WriteTransaction reports its end
            return new WriteTransaction(tx, _gate);
        }
        catch
        {
            _gate?.Release();
            throw;
        }
    }
}

public static class StorageRegistration
{
    public static IServiceCollection AddBulwarkStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString("Bulwark");
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = DatabaseOptions.DefaultConnectionString(options.Provider);
        services.AddSingleton(options);
        services.AddSingleton<Actions.ActionCommitSignal>();
        services.AddSingleton<Actions.ActionCommitInterceptor>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqlite(connectionString);
                services.AddPooledDbContextFactory<SqliteBulwarkDbContext>((sp, o) => ConfigureSqlite(o, sqlite, options.CommandTimeoutSeconds)
                    .AddInterceptors(sp.GetRequiredService<Actions.ActionCommitInterceptor>()));
                services.AddSingleton<IBulwarkDbFactory>(sp => new BulwarkDbFactory<SqliteBulwarkDbContext>(
                    sp.GetRequiredService<IDbContextFactory<SqliteBulwarkDbContext>>(), DatabaseProvider.Sqlite));
                break;
            case DatabaseProvider.Postgres:
                services.AddPooledDbContextFactory<PostgresBulwarkDbContext>((sp, o) => ConfigurePostgres(o, connectionString, options.CommandTimeoutSeconds)
                    .AddInterceptors(sp.GetRequiredService<Actions.ActionCommitInterceptor>()));
                services.AddSingleton<IBulwarkDbFactory>(sp => new BulwarkDbFactory<PostgresBulwarkDbContext>(
                    sp.GetRequiredService<IDbContextFactory<PostgresBulwarkDbContext>>(), DatabaseProvider.Postgres));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'. Use Sqlite or Postgres.");
        }
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    internal static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder o, string connectionString, int timeoutSeconds) =>
        o.UseSqlite(connectionString, s => s.CommandTimeout(timeoutSeconds))
         .AddInterceptors(SqlitePragmas.Instance)
         .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    internal static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder o, string connectionString, int timeoutSeconds) =>
        o.UseNpgsql(connectionString, s => s.CommandTimeout(timeoutSeconds))
         .AddInterceptors(Actions.ActionOrderingInterceptor.Instance)
         .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary>Makes sure the folder of a file database exists, and returns the connection string to use.</summary>
    internal static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        // Writers wait for each other instead of failing at once with SQLITE_BUSY.
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}

/// <summary>
/// WAL lets readers proceed while the single writer commits, and NORMAL sync is durable across process crashes in WAL mode
/// (a power loss may lose the last commits, not corrupt the file). journal_mode is stored in the database file, so it is set
/// once per connection string; synchronous is per connection and is set on every open.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> WalSet = new();

    private static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = WalSet.TryAdd(connection.ConnectionString, true)
            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            : "PRAGMA synchronous=NORMAL;";
        cmd.ExecuteNonQuery();
    }
}
