using Bulwark.Core.Actions;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Appeals;

/// <summary><c>bulwark appeals list|decide</c> run as a user would, against a database with a real removal.</summary>
public class AppealCliTests
{
    [Fact]
    public async Task Appeals_are_listed_and_decided_from_the_command_line_by_a_named_person()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "cli-i1", "acct-cli", Instruction, "instruction clip for the CLI");
        await RunOnceAsync(core);
        var appeal = (await core.Get<AppealService>().SubmitAsync(new NewAppeal(null, "cli-i1", "Wrong video."), "platform", default)).Appeal!;

        var list = await CliRunner.RunAsync(core.Database, "appeals", "list", "--status", "open");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("cli-i1", list.Out);
        Assert.Contains("1 appeal(s).", list.Out);

        var badOutcome = await CliRunner.RunAsync(core.Database, "appeals", "decide", appeal.Id.ToString(), "--outcome", "maybe", "--by", "x", "--statement", "s");
        Assert.NotEqual(0, badOutcome.ExitCode);
        var machine = await CliRunner.RunAsync(core.Database, "appeals", "decide", appeal.Id.ToString(), "--outcome", "reversed", "--by", "pipeline", "--statement", "s");
        Assert.Equal(1, machine.ExitCode);
        Assert.Contains("never decided automatically", machine.Err);

        var ok = await CliRunner.RunAsync(core.Database, "appeals", "decide", appeal.Id.ToString(), "--outcome", "reversed", "--by", "reviewer-fi", "--statement", "Wrong video removed.");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains($"Appeal {appeal.Id} reversed by reviewer-fi.", ok.Out);
        Assert.Contains("restored", ok.Out);
        var missing = await CliRunner.RunAsync(core.Database, "appeals", "decide", "999", "--outcome", "upheld", "--by", "reviewer-fi", "--statement", "s");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no appeal 999.", missing.Err);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.True(await db.Set<ActionRow>().AnyAsync(a => a.Kind == "content.restore" && a.TargetId == "cli-i1"));
        Assert.Equal(0, (await CliRunner.RunAsync(core.Database, "appeals", "list", "--status", "decided")).ExitCode);
    }
}
