using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bulwark.Tests.Cli;

/// <summary>The real `bulwark` executable, run as a user would, against a throwaway database.</summary>
public class CliTests
{
    private static Task<CliRun> Bulwark(TestDatabase db, params string[] args) => CliRunner.RunAsync(db, args);

    [Fact]
    public async Task Api_keys_are_created_once_listed_without_secrets_and_revoked()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Contains("applied", (await Bulwark(db, "db", "migrate")).Out);
        Assert.Contains("already up to date", (await Bulwark(db, "db", "migrate")).Out);

        var created = await Bulwark(db, "apikey", "create", "--name", "partner-x", "--scopes", "ingest,read");
        Assert.Equal(0, created.ExitCode);
        var key = created.Out.Trim();
        Assert.Matches("^bwk_[0-9a-f]{16}_[A-Za-z0-9_-]{32}$", key);
        var id = key.Split('_')[1];

        var list = await Bulwark(db, "apikey", "list");
        Assert.Contains(id, list.Out);
        Assert.Contains("partner-x", list.Out);
        Assert.DoesNotContain(key[(5 + id.Length)..], list.Out);

        Assert.Equal(0, (await Bulwark(db, "apikey", "revoke", id)).ExitCode);
        var unknown = await Bulwark(db, "apikey", "revoke", "0000000000000000");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No API key with id", unknown.Err);
        var badScope = await Bulwark(db, "apikey", "create", "--name", "n", "--scopes", "ingest,superuser");
        Assert.Equal(1, badScope.ExitCode);
        Assert.Contains("Unknown scope(s): superuser", badScope.Err);
        Assert.DoesNotContain("   at ", badScope.Err);
    }

    [Fact]
    public async Task Ingest_reports_every_rejected_line_and_stores_the_rest()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await Bulwark(db, "db", "migrate");
        var file = Path.Combine(db.Directory, "events.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"id":"e1","kind":"text","text":"one"}""",
            """{"id":"e2","kind":"podcast"}""",
            "{not json",
            "",
            """{"id":"e3","kind":"comment","parentId":"e1","region":"IT"}""",
        ]);
        var run = await Bulwark(db, "ingest", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("accepted 2, already present 0, rejected 2 (of 5 lines)", run.Out);
        Assert.Contains("events.jsonl:2: kind 'podcast' is not a content kind", run.Out);
        Assert.Contains("events.jsonl:3: invalid JSON", run.Out);

        var again = await Bulwark(db, "ingest", file);
        Assert.Contains("accepted 0, already present 2, rejected 2", again.Out);
        Assert.Contains("File not found", (await Bulwark(db, "ingest", Path.Combine(db.Directory, "missing.jsonl"))).Err);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Audit_verify_names_the_first_tampered_entry(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await Bulwark(db, "db", "migrate");
        for (var i = 0; i < 3; i++) await Bulwark(db, "apikey", "create", "--name", $"k{i}", "--scopes", "read");
        var intact = await Bulwark(db, "audit", "verify");
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("Audit log intact: 3 entries", intact.Out);

        await Execute(db, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2");
        var broken = await Bulwark(db, "audit", "verify");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("BROKEN at entry 2", broken.Out);
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_retry_needs_ids_or_all()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await Bulwark(db, "db", "migrate");
        var none = await Bulwark(db, "deadletters", "retry");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("--all", none.Err);
        Assert.Contains("0 dead letter(s)", (await Bulwark(db, "deadletters", "list")).Out);
        Assert.Contains("Requeued 0 item(s)", (await Bulwark(db, "deadletters", "retry", "--all")).Out);
    }

    private static async Task Execute(TestDatabase db, string sql)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await using var c = new SqliteConnection(db.ConnectionString);
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }
        else
        {
            await using var c = new NpgsqlConnection(db.ConnectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
