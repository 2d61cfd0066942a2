using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark users …` as an administrator at a terminal would run it, on both providers.</summary>
public class UserCliTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_database_without_migrations_gets_a_message_naming_db_migrate_not_a_stack_trace(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var run = await CliRunner.RunWithInputAsync(db, "a long enough password 1\n", "users", "create", "--username", "early", "--role", "moderator");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bulwark db migrate", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "db", "migrate")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunWithInputAsync(db, "a long enough password 1\n", "users", "create", "--username", "early", "--role", "moderator")).ExitCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Users_are_created_with_roles_from_stdin_passwords_listed_changed_disabled_and_audited(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await CliRunner.RunAsync(db, "db", "migrate");

        var weak = await CliRunner.RunWithInputAsync(db, "short\n", "users", "create", "--username", "maria", "--role", "moderator");
        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("Passwords must be at least 12 characters", weak.Err);
        var unknownRole = await CliRunner.RunAsync(db, "users", "create", "--username", "maria", "--role", "superuser", "--password", "long enough password 1");
        Assert.Equal(1, unknownRole.ExitCode);
        Assert.Contains("Unknown role 'superuser'", unknownRole.Err);

        var created = await CliRunner.RunWithInputAsync(db, "correct horse battery staple\n",
            "users", "create", "--username", "maria", "--role", "moderator", "--role", "legal-officer");
        Assert.True(created.ExitCode == 0, created.Err);
        var duplicate = await CliRunner.RunAsync(db, "users", "create", "--username", "maria", "--role", "auditor", "--password", "another long password");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("'maria' is already taken", duplicate.Err);

        var list = await CliRunner.RunAsync(db, "users", "list");
        Assert.StartsWith("user,roles,state,second_factor,created", list.Out);
        Assert.Contains("\nmaria,legal-officer;moderator,active,off,", list.Out);
        Assert.Contains("1 user(s).", list.Err);

        Assert.Equal(0, (await CliRunner.RunAsync(db, "users", "set-roles", "--username", "maria", "--role", "auditor")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "users", "disable", "--username", "maria")).ExitCode);
        list = await CliRunner.RunAsync(db, "users", "list");
        Assert.Contains("\nmaria,auditor,disabled,off,", list.Out);
        var missing = await CliRunner.RunAsync(db, "users", "disable", "--username", "nobody");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no console user 'nobody'", missing.Err);

        // Every change is in the hash-chained log; the refused ones left nothing behind.
        var verify = await CliRunner.RunAsync(db, "audit", "verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("Audit log intact: 4 entries", verify.Out); // roles seeded, created, roles set, disabled
    }
}
