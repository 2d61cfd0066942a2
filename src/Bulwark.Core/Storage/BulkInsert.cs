using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Core.Storage;

/// <summary>
/// Multi-row INSERT for the hot paths (ingestion, decisions, audit entries). EF Core's SQLite provider sends one statement
/// per row, which cost ~80 µs of CPU per row here; one statement per chunk of rows costs a few µs per row. Column names and
/// value conversions come from the EF model, so the rows read back through EF exactly as if EF had written them.
/// Must run inside the caller's write transaction.
/// </summary>
public static class BulkInsert
{
    // Binding a named parameter on SQLite costs time linear in the statement's parameter count: Microsoft.Data.Sqlite binds
    // every parameter by name (sqlite3_bind_parameter_index), and SQLite finds a name by comparing it with each name in the
    // statement in turn. A statement of n parameters therefore costs n²/2 name comparisons to bind. At 500 parameters that
    // was about 15 % of the server's CPU in the load test (perf: strncmp under sqlite3VListNameToNum; 5 % at 64). At 40 the
    // binding costs a twelfth as much per row, and the extra statements (one prepared command is reused for every full
    // chunk) cost less than that saves (BulkInsertChunkBenchmarks: 40 was the fastest of 40, 64, 100 and 500).
    // Npgsql sends parameters by position, so PostgreSQL takes large chunks: at 8,000 parameters a claimed batch's 500
    // decisions (15 columns), its audit entries (10) and its signals (11, about one per item) go in one statement each
    // instead of 10–15 (pg_stat_statements over a 20,000-event load test: 2,300 inserts at 500 parameters; docs/benchmarks.md).
    // Fewer round trips matter most for the audit entries, written while the audit chain's advisory lock is held.
    // PostgreSQL's wire protocol allows 65,535 parameters per statement.
    internal const int SqliteMaxParameters = 40;
    internal const int PostgresMaxParameters = 8000;

    /// <summary>Inserts <paramref name="rows"/>; when <paramref name="returning"/> names columns, returns their values per inserted row.</summary>
    public static Task<List<object?[]>> InsertAsync<T>(BulwarkDbContext db, IReadOnlyList<T> rows, string[] properties, string[]? returning, CancellationToken ct)
        where T : class
        => InsertAsync(db, rows, properties, returning, db.Provider == DatabaseProvider.Postgres ? PostgresMaxParameters : SqliteMaxParameters, ct);

    /// <param name="maxParameters">Parameters per statement (rows per statement = this ÷ the row's width, at least 1).</param>
    internal static async Task<List<object?[]>> InsertAsync<T>(BulwarkDbContext db, IReadOnlyList<T> rows, string[] properties, string[]? returning, int maxParameters, CancellationToken ct)
        where T : class
    {
        var result = new List<object?[]>(returning is null ? 0 : rows.Count);
        if (rows.Count == 0) return result;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var props = properties.Select(p => entity.FindProperty(p) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p} is not mapped.")).ToArray();
        var getters = props.Select(p => p.GetGetter()).ToArray();
        var converters = props.Select(p => p.GetTypeMapping().Converter).ToArray();
        var columns = string.Join(", ", props.Select(p => p.GetColumnName(store)));
        var returnColumns = returning?.Select(r => entity.FindProperty(r)!.GetColumnName(store)!).ToArray();
        var chunk = Math.Max(1, maxParameters / props.Length);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk inserts must run inside a write transaction.");

        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += chunk)
            {
                var count = Math.Min(chunk, rows.Count - start);
                DbCommand cmd;
                if (count == chunk) cmd = full ??= Create(transaction, table, columns, props.Length, count, returnColumns);
                else cmd = Create(transaction, table, columns, props.Length, count, returnColumns);
                try
                {
                    var n = 0;
                    for (var r = 0; r < count; r++)
                    {
                        var row = rows[start + r];
                        for (var c = 0; c < props.Length; c++)
                        {
                            var value = getters[c].GetClrValueUsingContainingEntity(row);
                            if (value is not null && converters[c] is { } converter) value = converter.ConvertToProvider(value);
                            cmd.Parameters[n++].Value = value ?? DBNull.Value;
                        }
                    }
                    if (returnColumns is null)
                    {
                        await cmd.ExecuteNonQueryAsync(ct);
                        continue;
                    }
                    await using var reader = await cmd.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        var values = new object?[returnColumns.Length];
                        for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        result.Add(values);
                    }
                }
                finally
                {
                    if (!ReferenceEquals(cmd, full)) await cmd.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
        return result;
    }

    private static DbCommand Create(DbTransaction transaction, string table, string columns, int width, int rows, string[]? returning)
    {
        var cmd = transaction.Connection!.CreateCommand();
        cmd.Transaction = transaction;
        var sql = new StringBuilder(64 + rows * width * 8).Append("INSERT INTO ").Append(table).Append(" (").Append(columns).Append(") VALUES ");
        var n = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < width; c++)
            {
                var name = "@p" + n++;
                sql.Append(c == 0 ? name : ", " + name);
                var parameter = cmd.CreateParameter();
                parameter.ParameterName = name;
                cmd.Parameters.Add(parameter);
            }
            sql.Append(')');
        }
        if (returning is not null) sql.Append(" RETURNING ").Append(string.Join(", ", returning));
        cmd.CommandText = sql.ToString();
        return cmd;
    }
}
