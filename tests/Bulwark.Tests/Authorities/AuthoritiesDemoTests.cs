using Bulwark.Core.Actions.Review;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Authorities;

/// <summary>
/// Issue 18's "Done when" on the demo's own data, on both providers: an order naming a demo post is executed at receipt with
/// its Annex II feedback, a second naming a post elsewhere is answered with Annex III, and the demo's threat is referred to
/// the example registry entry with a signed package that verifies. The console forms over the same services are driven in
/// Chromium by AuthoritiesConsoleBrowserTests and ReferralPagesBrowserTests.
/// </summary>
public class AuthoritiesDemoTests
{
    private const string Legal = "demo-legal-officer";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_demo_order_is_executed_with_Annex_II_a_second_answered_with_Annex_III_and_the_demo_threat_referred_with_a_signed_package(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        await host.Services.GetRequiredService<DemoSeeder>().SeedAsync(default);
        await host.Services.GetRequiredService<DemoAuthorities>().SeedAsync(default);
        var orders = host.Services.GetRequiredService<RemovalOrderService>();
        var issued = DateTimeOffset.UtcNow.AddMinutes(-20);

        var first = await orders.ReceiveAsync(new RemovalOrderInput
        {
            Reference = "DEMO-ORDER-1", Authority = DemoAuthorities.ExampleAuthority, MemberState = "IT", IssuedAt = issued,
            ContentIds = [DemoAuthorities.OrderTargets[0]], Ground = "incitement", Reasons = "Synthetic: the post glorifies a fictional attack.",
        }, Legal, default);
        Assert.Equal(OrderError.None, first.Error);
        var executed = first.Value!;
        Assert.Equal(OrderStatus.Executed, executed.Status);
        Assert.Equal(ItemStatus.Executed, Assert.Single(executed.Items).Status);
        Assert.NotNull(executed.ExecutedAt);
        var feedback = executed.Feedback!.Value;
        Assert.Equal("bulwark.removal-order.annex-ii/1", feedback.GetProperty("schema").GetString());

        var second = await orders.ReceiveAsync(new RemovalOrderInput
        {
            Reference = "DEMO-ORDER-2", Authority = DemoAuthorities.ExampleAuthority, MemberState = "IT", IssuedAt = issued,
            Urls = ["https://elsewhere.example/post/1"], Ground = "incitement", Reasons = "Synthetic: a post on another service.",
        }, Legal, default);
        Assert.Equal((OrderStatus.Received, ItemStatus.Unmatched), (second.Value!.Status, Assert.Single(second.Value.Items).Status));
        var answered = await orders.FileAnnexIIIAsync(second.Value.Id, "de_facto_impossibility", "The URL names a post on another service.", Legal, default);
        Assert.Equal(OrderError.None, answered.Error);
        Assert.Equal(OrderStatus.NotExecuted, answered.Value!.Status);
        Assert.NotNull(answered.Value.AnnexIII);

        // The demo's threat waits in threat-to-life; the legal officer refers it to the example Italian entry.
        await host.WaitForStatusAsync("demo-review-threat");
        long caseId;
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
            caseId = (await db.Set<ReviewCaseRow>().SingleAsync(c => c.ContentId == "demo-review-threat" && c.Queue == "threat-to-life")).Id;
        var referrals = host.Services.GetRequiredService<ReferralService>();
        var sent = await referrals.SubmitAsync(new ReferralSubmission(caseId, "Synthetic: names a time and a place.", "immediate", "IT"), Legal, default);
        Assert.True(sent.Ok, sent.Message);
        Assert.Equal(("IT", true), (sent.Value!.Recipient.MemberState, sent.Value.Recipient.Example));
        using var zip = new MemoryStream();
        Assert.True((await referrals.ExportAsync(sent.Value.Id, zip, Legal, default)).Ok);
        zip.Position = 0;
        var verdict = await ReferralPackage.VerifyAsync(zip, host.Services.GetRequiredService<ReferralSigningKey>().PublicKey.Base64, default);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Findings));
        Assert.Equal(sent.Value.Reference, verdict.Reference);
    }
}
