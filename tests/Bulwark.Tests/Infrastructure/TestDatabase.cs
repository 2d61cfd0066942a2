using Bulwark.Core.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bulwark.Tests.Infrastructure;

/// <summary>
/// A throwaway database for one test class. PostgreSQL needs <c>BULWARK_TEST_POSTGRES</c> (a connection string to a server
/// where databases may be created; ./test.sh starts one). Without it PostgreSQL tests are skipped with that reason, unless
/// <c>BULWARK_REQUIRE_SERVICES=1</c> (as in ./test.sh and CI), where a missing service fails the test instead.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public string Directory { get; }
    private readonly string? _adminConnection;
    private readonly string? _name;

    private TestDatabase(DatabaseProvider provider, string connectionString, string directory, string? admin, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        _adminConnection = admin;
        _name = name;
    }

    public static string? PostgresServer => Environment.GetEnvironmentVariable("BULWARK_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    public static bool ServicesRequired => Environment.GetEnvironmentVariable("BULWARK_REQUIRE_SERVICES") == "1";

    public static void RequirePostgres()
    {
        if (PostgresServer is not null) return;
        if (ServicesRequired) Assert.Fail("BULWARK_REQUIRE_SERVICES=1 but BULWARK_TEST_POSTGRES is not set: PostgreSQL tests cannot run.");
        Assert.Skip("PostgreSQL not configured: set BULWARK_TEST_POSTGRES (./test.sh starts a throwaway server and sets it).");
    }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        if (provider == DatabaseProvider.Sqlite)
            return new TestDatabase(provider, new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "bulwark.db") }.ToString(), dir, null, null);

        RequirePostgres();
        var name = "bulwark_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(PostgresServer))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ToString();
        return new TestDatabase(provider, cs, dir, PostgresServer, name);
    }

    /// <summary>Configuration for a server or CLI using this database (and private media and preservation folders).</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Bulwark:Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Bulwark"] = ConnectionString,
        ["Bulwark:Ingest:MediaPath"] = Path.Combine(Directory, "media"),
        ["Bulwark:Webhooks:KeysPath"] = Path.Combine(Directory, "keys"),
        ["Bulwark:Preservation:Path"] = Path.Combine(Directory, "preservation"),
    };

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_adminConnection is not null && _name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await using var conn = new NpgsqlConnection(_adminConnection);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", conn);
                await cmd.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException) { /* the server may already be gone at the end of a run */ }
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
