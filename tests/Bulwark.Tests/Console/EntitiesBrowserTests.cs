using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Console;

/// <summary>
/// The entity registry in the console (issue 23, item 6), in Debian's Chromium: approved, proposed and revoked entries are
/// browsed, searched and filtered by status and list; a policy admin revokes an approved entry with a reason (audited), and
/// an item naming it that goes through the pipeline afterwards is no longer flagged. English and Italian; axe-checked.
/// All names are invented for the test suite.
/// </summary>
public class EntitiesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    private async Task<IPage> SignInAsync(string role, string language = "en")
    {
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, role);
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", language);
        await ConsoleBrowser.SubmitAsync(page, "#save-language");
        return page;
    }

    private async Task<EntityView> EntityAsync(string name, bool approve)
    {
        var registry = Get<EntityRegistry>();
        await Get<EntityScreeningService>().EnsureLoadedAsync(default);
        var created = await registry.CreateAsync(new EntityInput(EntityKinds.Organisation, name, EntityTiers.ViolentExtremistOrganisation,
            "TEST: fictional", Notes: "TEST: invented for the test suite; not a real organisation."), "test", default);
        return approve ? await registry.ApproveAsync(created.Id, "test designation", "test", default) : created;
    }

    /// <summary>Ingests a caption through the real pipeline and returns whether any stored signal names the entity.</summary>
    private async Task<bool> FlaggedAsync(string id, string text, long entityId)
    {
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "text", Account = new AccountRef { Id = "acct-" + id }, Text = text, Language = "en",
        }, new Dictionary<string, StoredMedia>(), default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("entities-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        var versions = db.ContentVersions.Where(v => v.ContentId == id).Select(v => v.Id);
        Assert.True(await versions.AnyAsync(), $"{id} was not stored");
        var labels = await db.Signals.AsNoTracking().Where(s => versions.Contains(s.ContentVersionId)).Select(s => s.LabelsJson).ToListAsync();
        return labels.Any(l => l.Contains($"\"entity:{entityId}\""));
    }

    [Fact]
    public async Task A_policy_admin_finds_an_approved_entity_revokes_it_with_a_reason_and_screening_stops_flagging_it()
    {
        ConsoleBrowser.Require();
        var target = await EntityAsync("Synthetic Order of the Brass Lantern", approve: true);
        var other = await EntityAsync("Synthetic Guild of Pale Embers", approve: true);
        var proposed = await EntityAsync("Synthetic Circle of Quiet Rivers", approve: false);
        Assert.True(await FlaggedAsync("ent-before", "Join the Synthetic Order of the Brass Lantern tonight", target.Id));

        var page = await SignInAsync(ConsoleRoles.PolicyAdmin);
        await page.GotoAsync("/entities");
        Assert.NotNull(await page.QuerySelectorAsync($"tr[data-entity='{target.Id}']"));
        Assert.Null(await page.QuerySelectorAsync($"tr[data-entity='{proposed.Id}']")); // approved only by default
        await page.FillAsync("#q", "brass lantern");
        await ConsoleBrowser.SubmitAsync(page, "#entity-filter-apply");
        Assert.NotNull(await page.QuerySelectorAsync($"tr[data-entity='{target.Id}']"));
        Assert.Null(await page.QuerySelectorAsync($"tr[data-entity='{other.Id}']"));
        await ConsoleBrowser.ScreenshotAsync(page, "entities-en");

        // Revoked with a reason: audited, shown as revoked, and no longer matched in new content.
        await page.FillAsync($"#revoke-reason-{target.Id}", "Designation withdrawn by the invented authority");
        await ConsoleBrowser.SubmitAsync(page, $"form[data-revoke='{target.Id}'] button");
        Assert.Contains("revoked", await page.TextContentAsync("body"));
        await page.GotoAsync("/entities?status=revoked");
        Assert.Contains("Designation withdrawn", await page.TextContentAsync($"tr[data-entity='{target.Id}'] .status"));
        Assert.Null(await page.QuerySelectorAsync($"form[data-revoke='{target.Id}']"));
        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            var audit = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "entity.revoked" && e.Subject == "entity:" + target.Id);
            Assert.Equal((ConsoleBrowser.UserName(ConsoleRoles.PolicyAdmin), "Designation withdrawn by the invented authority"), (audit.Actor, audit.Reason));
        }
        Assert.False(await FlaggedAsync("ent-after", "Join the Synthetic Order of the Brass Lantern tonight", target.Id));
        Assert.True(await FlaggedAsync("ent-other", "Join the Synthetic Guild of Pale Embers tonight", other.Id));

        // Proposed entries are listed under their status; an unknown status is named.
        await page.GotoAsync("/entities?status=proposed");
        Assert.NotNull(await page.QuerySelectorAsync($"tr[data-entity='{proposed.Id}']"));
        var bad = await page.GotoAsync("/entities?status=maybe");
        Assert.Equal(422, bad!.Status);
        Assert.Contains("status", await page.TextContentAsync("#entities-errors"));
    }

    [Fact]
    public async Task Auditors_read_the_registry_without_revoke_forms_in_italian_and_axe_finds_no_serious_violation()
    {
        ConsoleBrowser.Require();
        var entity = await EntityAsync("Synthetic Society of the Tin Crown", approve: true);
        var auditor = await SignInAsync(ConsoleRoles.Auditor, "it");
        await auditor.GotoAsync("/entities");
        Assert.Equal("Entità", (await auditor.TextContentAsync("h1"))!.Trim());
        Assert.NotNull(await auditor.QuerySelectorAsync($"tr[data-entity='{entity.Id}']"));
        Assert.Null(await auditor.QuerySelectorAsync("form[data-revoke]"));
        await ConsoleBrowser.ScreenshotAsync(auditor, "entities-it");
        var moderator = await SignInAsync(ConsoleRoles.Moderator);
        Assert.Equal(403, (await moderator.GotoAsync("/entities"))!.Status);

        var admin = await SignInAsync(ConsoleRoles.PolicyAdmin);
        await admin.GotoAsync("/entities");
        var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(admin);
        Assert.NotEmpty(result.Passes);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(serious.Count == 0, "axe violations:\n" + string.Join("\n", serious));
    }
}
