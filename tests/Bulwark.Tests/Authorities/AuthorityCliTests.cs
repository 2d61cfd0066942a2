using System.Text.Json;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Authorities;

/// <summary><c>bulwark authorities orders list|show|feedback</c> and <c>apikey create --scopes …,authorities</c>, as a user runs them.</summary>
public class AuthorityCliTests
{
    [Fact]
    public async Task The_CLI_lists_shows_and_prints_the_feedback_of_orders_and_creates_keys_with_the_authorities_scope()
    {
        await using var core = await RemovalOrderTests.CreateAsync(DatabaseProvider.Sqlite);
        await core.Get<Bulwark.Core.Ingest.IngestService>().AcceptOneAsync(new Bulwark.Core.Ingest.ContentEvent { Id = "cli-c1", Kind = "text", Text = "synthetic" }, null, default);
        var orders = core.Get<RemovalOrderService>();
        var executed = (await orders.ReceiveAsync(RemovalOrderTests.Order("IT-CLI-1", ["cli-c1"]), "t", default)).Value!;
        var waiting = (await orders.ReceiveAsync(RemovalOrderTests.Order("IT-CLI-2", ["cli-unknown"]), "t", default)).Value!;

        var list = await CliRunner.RunAsync(core.Database, "authorities", "orders", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("IT-CLI-1", list.Out);
        Assert.Contains("IT-CLI-2", list.Out);
        Assert.Contains("2 order(s).", list.Err);
        Assert.StartsWith("id,reference,authority,member_state,received_at,status,minutes_left,executed_at,items,breach", list.Out);
        var open = await CliRunner.RunAsync(core.Database, "authorities", "orders", "list", "--status", "open");
        Assert.DoesNotContain("IT-CLI-1", open.Out);

        var show = await CliRunner.RunAsync(core.Database, "authorities", "orders", "show", executed.Id.ToString());
        Assert.Equal(0, show.ExitCode);
        Assert.Equal("executed", JsonDocument.Parse(show.Out).RootElement.GetProperty("status").GetString());
        var feedback = await CliRunner.RunAsync(core.Database, "authorities", "orders", "feedback", executed.Id.ToString());
        Assert.Equal(AnnexForms.AnnexIISchema, JsonDocument.Parse(feedback.Out).RootElement.GetProperty("schema").GetString());
        var none = await CliRunner.RunAsync(core.Database, "authorities", "orders", "feedback", waiting.Id.ToString());
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("has no Annex II feedback yet", none.Err);
        Assert.Equal(1, (await CliRunner.RunAsync(core.Database, "authorities", "orders", "show", "999")).ExitCode);

        var key = await CliRunner.RunAsync(core.Database, "apikey", "create", "--name", "gateway", "--scopes", "read,authorities");
        Assert.Equal(0, key.ExitCode);
        Assert.Contains("authorities", (await CliRunner.RunAsync(core.Database, "apikey", "list")).Out);
    }
}
