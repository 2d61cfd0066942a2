using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Core.Storage;

/// <summary>Applies the provider's migrations; used by the server at start-up and by <c>bulwark db migrate</c>.</summary>
public sealed class DatabaseMigrator(IBulwarkDbFactory factory)
{
    /// <summary>Key of the PostgreSQL advisory lock held while migrating (any constant no other lock in Bulwark uses).</summary>
    internal const long PostgresMigrationLockKey = 0x42_756C_7761_7201; // "Bulwar" + 1

    /// <summary>
    /// Applies pending migrations. On PostgreSQL several processes of a fresh deployment may start at once: each waits for a
    /// session advisory lock first, so one migrates and the others then find nothing pending (without it two of them raced
    /// to create the same tables: "relation … already exists"). The lock is polled with <c>pg_try_advisory_lock</c>, so a
    /// long migration never runs into a waiting process's command timeout. SQLite serialises writers by itself.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var db = factory.Create();
        // SQLite, or a PostgreSQL database that does not exist yet (EF creates it; there is no session to lock in before).
        if (factory.Provider != DatabaseProvider.Postgres || !await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct))
            return await MigrateUnlockedAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct); // the lock belongs to this session: keep one connection throughout
        try
        {
            while (!await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_lock({PostgresMigrationLockKey}) AS \"Value\"").SingleAsync(ct))
                await Task.Delay(200, ct);
            try { return await MigrateUnlockedAsync(db, ct); }
            finally { await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({PostgresMigrationLockKey})", CancellationToken.None); }
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    private static async Task<IReadOnlyList<string>> MigrateUnlockedAsync(BulwarkDbContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        return pending;
    }

    public async Task<bool> CanConnectAsync(CancellationToken ct = default)
    {
        try
        {
            await using var db = factory.Create();
            return await db.Database.CanConnectAsync(ct);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
