using Bulwark.Core.Pipeline;
using Bulwark.Core.Ingest;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Entities;

/// <summary>The review state machine, its audit entries, validation, and screening that follows approvals and revocations.</summary>
public class EntityRegistryTests
{
    internal static EntityInput Fictional(string name = "Brotherhood of the Hollow Sun") => new(
        Kind: EntityKinds.Organisation, PrimaryName: name, Tier: EntityTiers.ViolentExtremistOrganisation, Ideology: "fictional accelerationism",
        RegionScope: ["IT", "fr"], Evidence: ["https://example.org/report/hollow-sun"],
        Terms: [new(EntityTermTypes.Alias, "Hollow Sun"), new(EntityTermTypes.Hashtag, "#hollowsunrising"), new(EntityTermTypes.Alias, "HSB", EntityGrades.Weak),
                new(EntityTermTypes.Slogan, "the sun is hollow and so are they"), new(EntityTermTypes.Emoji, "🌑🔥")]);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Entries_go_from_proposed_to_approved_to_revoked_with_audit_entries_and_screening_follows(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var registry = core.Get<EntityRegistry>();
        var screening = core.Get<EntityScreeningService>();
        await screening.EnsureLoadedAsync(default);

        var created = await registry.CreateAsync(Fictional(), "expert:ana", default);
        Assert.Equal((EntityStatuses.Proposed, "expert:ana"), (created.Status, created.StatusChangedBy));
        Assert.Equal(["IT", "FR"], created.RegionScope);
        Assert.Empty(screening.ScreenText("hail the Hollow Sun"));

        var approved = await registry.ApproveAsync(created.Id, "two independent reports", "reviewer:ben", default);
        Assert.Equal((EntityStatuses.Approved, "reviewer:ben", "two independent reports"), (approved.Status, approved.StatusChangedBy, approved.StatusReason));
        var hit = Assert.Single(screening.ScreenText("hail the H0ll\u200Bow Sun"));
        Assert.Equal((created.Id, "Hollow Sun", EntityTermTypes.Alias), (hit.Entity.Id, hit.Term, hit.TermType));
        Assert.Contains("FormatRemoved", hit.Steps);
        Assert.Contains("Leetspeak", hit.Steps);
        Assert.Equal("H0ll\u200Bow Sun", hit.Matched);
        Assert.Contains(screening.ScreenText("so proud #hollowsunrising 🌑🔥"), m => m.TermType == EntityTermTypes.Hashtag);
        Assert.Contains(screening.ScreenText("so proud #hollowsunrising 🌑🔥"), m => m.TermType == EntityTermTypes.Emoji);
        // Weak aliases only as exact whole words; a weak alias of one word also needs a second word of the entity's names
        // nearby (AliasCorroboration): "HSB" alone could be anything.
        Assert.Empty(screening.ScreenText("the HSB"));
        Assert.Contains(screening.ScreenText("the HSB brotherhood"), m => m.Grade == EntityGrades.Weak);
        Assert.Empty(screening.ScreenText("the H5B brotherhood"));
        Assert.Contains(screening.ScreenName("brotherhood of hollow sun"), m => m.Entity.Id == created.Id);

        await Assert.ThrowsAsync<EntityTransitionException>(() => registry.ApproveAsync(created.Id, "again", "reviewer:ben", default));
        await Assert.ThrowsAsync<EntityValidationException>(() => registry.RevokeAsync(created.Id, "  ", "reviewer:ben", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => registry.ApproveAsync(999_999, "x", "reviewer:ben", default));

        var revoked = await registry.RevokeAsync(created.Id, "designation lapsed", "reviewer:cy", default);
        Assert.Equal(EntityStatuses.Revoked, revoked.Status);
        Assert.Empty(screening.ScreenText("hail the Hollow Sun"));
        await Assert.ThrowsAsync<EntityTransitionException>(() => registry.ApproveAsync(created.Id, "undo", "reviewer:cy", default));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var entries = await db.AuditEntries.Where(a => a.Subject == $"entity:{created.Id}").OrderBy(a => a.Seq).ToListAsync();
        Assert.Equal(["entity.proposed", "entity.approved", "entity.revoked"], entries.Select(e => e.Action));
        Assert.Equal(["expert:ana", "reviewer:ben", "reviewer:cy"], entries.Select(e => e.Actor));
        Assert.Equal([null, "two independent reports", "designation lapsed"], entries.Select(e => e.Reason));
    }

    [Fact]
    public async Task Bad_entries_name_every_field_at_fault_and_updates_keep_the_state()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var registry = core.Get<EntityRegistry>();
        var ex = await Assert.ThrowsAsync<EntityValidationException>(() => registry.CreateAsync(new EntityInput(
            Kind: "gang", PrimaryName: "x\uD800", Tier: "evil", RegionScope: ["XX"], Evidence: ["ftp://nope"],
            Terms: [new("tattoo", "y", "medium")]), "t", default));
        Assert.Equal(["evidence[0]", "kind", "primaryName", "regionScope[0]", "terms[0].grade", "terms[0].type", "tier"], ex.Errors.Select(e => e.Field).Order());

        var created = await registry.CreateAsync(Fictional(), "t", default);
        var updated = await registry.UpdateAsync(created.Id, new EntityInput(Tier: EntityTiers.TerroristOrganisation, Terms: [new(EntityTermTypes.Slogan, "dawn of ash")]), "t", default);
        Assert.Equal((EntityTiers.TerroristOrganisation, EntityStatuses.Proposed), (updated.Tier, updated.Status));
        Assert.Equal(["Brotherhood of the Hollow Sun", "dawn of ash"], updated.Terms.Select(t => t.Value).Order());
        var page = await registry.ListAsync(new EntityFilter(Status: EntityStatuses.Proposed, Query: "hollow"), 0, 10, default);
        Assert.Equal(created.Id, Assert.Single(page.Entities).Id);
        Assert.Empty((await registry.ListAsync(new EntityFilter(Status: EntityStatuses.Approved), 0, 10, default)).Entities);
        await Assert.ThrowsAsync<EntityValidationException>(() => registry.ListAsync(new EntityFilter(Status: "maybe"), 0, 10, default));
    }

    [Fact]
    public async Task The_pipeline_extractor_turns_an_obfuscated_caption_and_handle_into_explained_signals()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var registry = core.Get<EntityRegistry>();
        var created = await registry.CreateAsync(Fictional(), "t", default);
        await registry.ApproveAsync(created.Id, "reviewed", "t", default);

        var context = new PipelineContext(1, "c1", 1, new ContentEvent
        {
            Id = "c1", Kind = "video", Text = "j0in the Н0llоw $un today", // Cyrillic Н and о, leetspeak 0 and $
            Hashtags = ["hollowsunrising"],
            Account = new AccountRef { Id = "a1", Handle = "brotherhood_of_the_hollow_sun", DisplayName = "Cooking with Ada" },
        });
        var extractor = core.Services.GetServices<ISignalExtractor>().OfType<EntityScreeningExtractor>().Single();
        Assert.True((await extractor.ExtractAsync(context, default)).Ok);

        var caption = Assert.Single(context.Signals, s => s.Type == EntitySignalTypes.Mention && s.Labels!.Contains("field:text"));
        Assert.Contains($"entity:{created.Id}", caption.Labels!);
        Assert.Contains($"tier:{EntityTiers.ViolentExtremistOrganisation}", caption.Labels!);
        Assert.Contains("\"Hollow Sun\" of designated organisation \"Brotherhood of the Hollow Sun\"", caption.Explanation);
        Assert.Contains("Confusable", caption.Explanation);
        Assert.Contains("Leetspeak", caption.Explanation);
        Assert.Equal(1.0, caption.Score);
        Assert.Single(context.Signals, s => s.Type == EntitySignalTypes.Mention && s.Labels!.Contains("field:hashtags"));
        var handle = Assert.Single(context.Signals, s => s.Type == EntitySignalTypes.NameMatch);
        Assert.Contains("field:account.handle", handle.Labels!);
        Assert.InRange(handle.Score!.Value, 0.88, 1.0);
        Assert.DoesNotContain(context.Signals, s => s.Labels!.Contains("field:account.displayName"));
    }

    [Fact]
    public async Task A_source_configured_with_an_unknown_tier_or_format_stops_start_up_naming_the_setting()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new()
        {
            ["Bulwark:Entities:Sources:un-sc:ListTypeTiers:Al-Qaida"] = "very_bad",
            ["Bulwark:Entities:Sources:splc:Format"] = "xlsx",
        });
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => core.Get<EntityOptions>());
        Assert.Contains("Bulwark:Entities:Sources:un-sc: tier 'very_bad' for list type 'Al-Qaida'", ex.Message);
        Assert.Contains("Bulwark:Entities:Sources:splc:Format 'xlsx'", ex.Message);
    }

    [Fact]
    public void Source_defaults_auto_approve_only_the_UN_ISIL_and_Al_Qaida_list()
    {
        var options = new EntityOptions();
        Assert.True(options.Source("un-sc").AutoApproves("Al-Qaida"));
        Assert.False(options.Source("un-sc").AutoApproves("DRC"));
        Assert.Equal(EntityTiers.TerroristOrganisation, options.Source("un-sc").TierFor(EntityKinds.Organisation, "Al-Qaida"));
        Assert.Equal(EntityTiers.ViolentExtremistIndividual, options.Source("un-sc").TierFor(EntityKinds.Individual, "Al-Qaida"));
        Assert.False(options.Source("eu").AutoApproves("TERR"));
        Assert.Equal((ListFormats.Csv, EntityTiers.HatefulOrganisation), (options.Source("splc").Format, options.Source("splc").DefaultTier));
        options.Sources["splc"] = new ListSourceOptions { AutoApproveListTypes = ["*"] };
        Assert.True(options.Source("splc").AutoApproves("anything"));
        Assert.Equal(ListFormats.Csv, options.Source("splc").Format);
    }
}
