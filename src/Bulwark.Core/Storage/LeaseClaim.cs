using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Core.Storage;

/// <summary>
/// Claims rows of a table by lease (owner, expiry): the one way the database work queue, the outbox relay and the webhook
/// dispatcher take work, so a crashed claimer's rows come back when the lease runs out and concurrent claimers take
/// disjoint rows. Timestamps are Unix milliseconds from the caller's injected clock.
/// </summary>
public static class LeaseClaim
{
    /// <param name="table">The table; it has <c>id</c>, <c>lease_owner</c>, <c>lease_until</c> and <c>attempts</c> columns.</param>
    /// <param name="ready">The SQL condition (besides the lease being free) a row must meet to be claimed; may use <c>@now</c>.</param>
    /// <param name="returning">The columns returned for each claimed row (after the update: <c>attempts</c> counts this claim).</param>
    public static async Task<List<T>> ClaimAsync<T>(
        IBulwarkDbFactory dbs, string table, string ready, string returning, Func<DbDataReader, T> read,
        string owner, long now, long leaseMilliseconds, int max, CancellationToken ct)
    {
        await using var db = dbs.Create();
        // PostgreSQL: SKIP LOCKED lets concurrent claimers take disjoint rows without waiting on each other.
        // SQLite: the statement runs under the database's single write lock, which serialises claims anyway.
        var skipLocked = db.Provider == DatabaseProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE {table} SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
            WHERE id IN (SELECT id FROM {table}
                         WHERE {ready} AND (lease_until IS NULL OR lease_until < @now)
                         ORDER BY id LIMIT @max{skipLocked})
            RETURNING {returning}
            """;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        cmd.CommandText = sql;
        Add(cmd, "owner", owner);
        Add(cmd, "until", now + leaseMilliseconds);
        Add(cmd, "now", now);
        Add(cmd, "max", max);
        var claimed = new List<T>(Math.Min(max, 1024));
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                claimed.Add(read(reader));
        await tx.CommitAsync(ct);
        return claimed;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
