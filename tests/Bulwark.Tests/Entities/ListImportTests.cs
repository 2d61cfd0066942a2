using System.Text;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Entities;

/// <summary>Import runs through the registry: the real UN publications' diff, dry runs, refusals and all-or-nothing application.</summary>
public class ListImportTests
{
    private static string Un(string file) => TestData.Path("sanctions", "un", file);

    private static Task<ImportRunView> Import(CoreServices core, string source, string path, bool dryRun = false, bool force = false)
    {
        var stream = File.OpenRead(path);
        return ImportStream(core, source, stream, Path.GetFileName(path), dryRun, force);
    }

    private static async Task<ImportRunView> ImportStream(CoreServices core, string source, Stream stream, string name, bool dryRun = false, bool force = false)
    {
        await using (stream)
            return await core.Get<ListImportService>().ImportAsync(source, stream, name, new ImportRequest(dryRun, force), "tester", default);
    }

    private static Task<ImportRunView> ImportText(CoreServices core, string source, string text, bool dryRun = false, bool force = false) =>
        ImportStream(core, source, new MemoryStream(Encoding.UTF8.GetBytes(text)), "list." + (source == "un-sc" || source == "eu" ? "xml" : "csv"), dryRun, force);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_two_UN_publications_import_with_134_added_and_9_delisted_and_delisted_entries_stop_matching(DatabaseProvider provider)
    {
        var older = Un("un_sc_consolidated_2024-09-26.xml");
        var newer = Un("un_sc_consolidated_2025-11-20.xml");
        await using var core = await CoreServices.CreateAsync(provider);
        var screening = core.Get<EntityScreeningService>();
        await screening.EnsureLoadedAsync(default);

        var first = await Import(core, "un-sc", older);
        Assert.Equal((ImportRunStatuses.Applied, 875, 875, 0, 0), (first.Status, first.Records, first.Added, first.Changed, first.Delisted));
        Assert.Equal(64, first.FileSha256.Length);

        // The ISIL/Al-Qaida list is auto-approved by default; the other UN regimes wait for review.
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var statuses = await db.Set<DesignatedEntityRow>().Where(e => e.Listings.Any(l => l.ListType == "Al-Qaida")).Select(e => e.Status).Distinct().ToListAsync();
            Assert.Equal([EntityStatuses.Approved], statuses);
            Assert.True(await db.Set<DesignatedEntityRow>().AnyAsync(e => e.Status == EntityStatuses.Proposed));
            Assert.Equal(875, await db.Set<EntityListingRow>().CountAsync(l => l.Active));
        }

        var dry = await Import(core, "un-sc", newer, dryRun: true);
        Assert.Equal((ImportRunStatuses.DryRun, 134, 9), (dry.Status, dry.Added, dry.Delisted));
        Assert.Equal(134, dry.Diff.Added.Count);
        Assert.Equal(9, dry.Diff.Delisted.Count);

        // Make one record that is about to be delisted screenable, to see it stop matching.
        var gone = dry.Diff.Delisted[0];
        long goneId;
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            goneId = await db.Set<EntityListingRow>().Where(l => l.Source == "un-sc" && l.SourceKey == gone.Key).Select(l => l.EntityId).SingleAsync();
        var registry = core.Get<EntityRegistry>();
        if ((await registry.GetAsync(goneId, default)).Status == EntityStatuses.Proposed)
            await registry.ApproveAsync(goneId, "reviewed for the test", "reviewer", default);
        Assert.Contains(screening.ScreenName(gone.Name), m => m.Entity.Id == goneId);
        Assert.Contains(screening.ScreenText($"a post praising {gone.Name} today"), m => m.Entity.Id == goneId);

        var second = await Import(core, "un-sc", newer);
        Assert.Equal((ImportRunStatuses.Applied, 1000, 134, 9), (second.Status, second.Records, second.Added, second.Delisted));
        Assert.Equal(dry.Diff.Added.Select(a => a.Key), second.Diff.Added.Select(a => a.Key));

        var revoked = await registry.GetAsync(goneId, default);
        Assert.Equal(EntityStatuses.Revoked, revoked.Status);
        Assert.Contains("delisted from un-sc", revoked.StatusReason);
        Assert.False(Assert.Single(revoked.Listings).Active);
        Assert.DoesNotContain(screening.ScreenName(gone.Name), m => m.Entity.Id == goneId);
        Assert.DoesNotContain(screening.ScreenText($"a post praising {gone.Name} today"), m => m.Entity.Id == goneId);

        // The same file again changes nothing; both runs are kept and can be read back.
        var again = await Import(core, "un-sc", newer);
        Assert.Equal((0, 0, 0, 1000), (again.Added, again.Changed, again.Delisted, again.Unchanged));
        var stored = await core.Get<ListImportService>().GetRunAsync("un-sc", second.Id, default);
        Assert.Equal((134, 9, "tester"), (stored.Added, stored.Delisted, stored.Actor));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "list.import_applied" && a.Subject == $"list:un-sc/import:{second.Id}"));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "entity.revoked" && a.Subject == $"entity:{goneId}"));
        }
        Assert.True((await core.Get<Bulwark.Core.Records.AuditVerifier>().VerifyAsync(default)).Intact);
    }

    private const string Head = """<?xml version="1.0" encoding="UTF-8"?>""";

    private static string UnList(params (string DataId, string Reference, string Name, string ListType)[] records) =>
        Head + "<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES>" +
        string.Concat(records.Select(r => $"<ENTITY><DATAID>{r.DataId}</DATAID><FIRST_NAME>{r.Name}</FIRST_NAME><UN_LIST_TYPE>{r.ListType}</UN_LIST_TYPE>" +
            $"<REFERENCE_NUMBER>{r.Reference}</REFERENCE_NUMBER><LISTED_ON>2020-01-01</LISTED_ON></ENTITY>")) +
        "</ENTITIES></CONSOLIDATED_LIST>";

    private static readonly (string, string, string, string)[] Five =
    [
        ("1", "QDe.901", "Northwind Vanguard Front", "Al-Qaida"), ("2", "QDe.902", "Ashen Crescent Brigade", "Al-Qaida"),
        ("3", "QDe.903", "Ironvale Liberation Cell", "Al-Qaida"), ("4", "QDe.904", "Saltmarsh Revolt Network", "Al-Qaida"),
        ("5", "LYe.905", "Granite Harbour Trading", "Libya"),
    ];

    [Fact]
    public async Task A_shrinking_list_is_refused_unless_forced_and_refusals_are_stored_without_changing_anything()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(ImportRunStatuses.Applied, (await ImportText(core, "un-sc", UnList(Five))).Status);

        var truncated = await ImportText(core, "un-sc", UnList(Five[..2]));
        Assert.Equal((ImportRunStatuses.Refused, ImportRefusals.Shrink), (truncated.Status, truncated.Refusal));
        Assert.Contains("shrank from 5 to 2 records", truncated.Problem);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(5, await db.Set<EntityListingRow>().CountAsync(l => l.Active));

        var forced = await ImportText(core, "un-sc", UnList(Five[..2]), force: true);
        Assert.Equal((ImportRunStatuses.Applied, 3, true), (forced.Status, forced.Delisted, forced.Forced));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal(2, await db.Set<EntityListingRow>().CountAsync(l => l.Active));
            Assert.Equal(3, await db.Set<DesignatedEntityRow>().CountAsync(e => e.Status == EntityStatuses.Revoked));
            Assert.Equal(3, await db.Set<ListImportRunRow>().CountAsync());
        }
    }

    [Fact]
    public async Task Duplicate_references_parse_errors_and_garbled_files_are_refused_with_the_problem_named_and_nothing_applied()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);

        var duplicate = await ImportText(core, "un-sc", UnList(("1", "QDe.901", "Northwind Vanguard Front", "Al-Qaida"), ("2", "QDe.901", "Ashen Crescent Brigade", "Al-Qaida")));
        Assert.Equal((ImportRunStatuses.Refused, ImportRefusals.Invalid), (duplicate.Status, duplicate.Refusal));
        Assert.Contains("Duplicate reference number QDe.901", duplicate.Problem);

        var malformed = await ImportText(core, "un-sc", Head + "<CONSOLIDATED_LIST><ENTITIES><ENTITY>");
        Assert.Equal(ImportRefusals.Unreadable, malformed.Refusal);
        Assert.Contains("Malformed XML", malformed.Problem);

        var bomb = await ImportText(core, "un-sc", Head + """<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><CONSOLIDATED_LIST>&lol2;</CONSOLIDATED_LIST>""");
        Assert.Contains("DTDs and entity declarations are refused", bomb.Problem);

        var bytes = Encoding.UTF8.GetBytes(UnList(Five)).ToList();
        bytes.Insert(200, 0xC3); // a lead byte without its continuation
        var garbled = await ImportStream(core, "un-sc", new MemoryStream([.. bytes]), "garbled.xml");
        Assert.Equal(ImportRefusals.Unreadable, garbled.Refusal);
        Assert.Contains("Invalid UTF-8 at byte offset 200", garbled.Problem);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(0, await db.Set<DesignatedEntityRow>().CountAsync());
        Assert.Equal(4, await db.Set<ListImportRunRow>().CountAsync(r => r.Status == ImportRunStatuses.Refused));
    }

    [Fact]
    public async Task A_failure_while_applying_rolls_the_whole_import_back()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        // A database-level failure in the middle of the apply: the fourth entity's names cannot be written.
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_saltmarsh BEFORE INSERT ON designated_entity_terms WHEN NEW.value = 'Saltmarsh Revolt Network' BEGIN SELECT RAISE(ABORT, 'test failure'); END;");
        await Assert.ThrowsAnyAsync<Exception>(() => ImportText(core, "un-sc", UnList(Five)));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal(0, await db.Set<DesignatedEntityRow>().CountAsync());
            Assert.Equal(0, await db.Set<EntityListingRow>().CountAsync());
            Assert.Equal(0, await db.Set<ListImportRunRow>().CountAsync(r => r.Status == ImportRunStatuses.Applied));
            Assert.Equal(0, await db.AuditEntries.CountAsync());
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_saltmarsh;");
        }
        Assert.Equal(5, (await ImportText(core, "un-sc", UnList(Five))).Added);
    }

    [Fact]
    public async Task CSV_entries_enter_as_proposed_hateful_organisations_with_their_ideology()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var csv = "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\n" +
                  "Cinder Oath Fellowship,Springfield,Oregon,,White Nationalist,Yes,No,2023\n" +
                  "Order of the Pale Lantern,,Ohio,,Neo-Nazi,,Yes,2024\n";
        var run = await ImportText(core, "expert-demo", csv);
        Assert.Equal((ImportRunStatuses.Applied, 2), (run.Status, run.Added));
        var page = await core.Get<EntityRegistry>().ListAsync(new EntityFilter(Source: "expert-demo"), 0, 10, default);
        Assert.All(page.Entities, e => Assert.Equal((EntityStatuses.Proposed, EntityTiers.HatefulOrganisation, EntityKinds.Organisation), (e.Status, e.Tier, e.Kind)));
        Assert.Equal(["Neo-Nazi", "White Nationalist"], page.Entities.Select(e => e.Ideology).Order());
        // Proposed entries are not screened.
        Assert.Empty(await core.Get<EntityScreeningService>().ScreenTextAsync("join the Cinder Oath Fellowship", default));

        var bad = await ImportText(core, "expert-demo", "Title,City\nX,Y\n");
        Assert.Equal(ImportRefusals.Unreadable, bad.Refusal);
        Assert.Contains("does not match the documented columns", bad.Problem);
    }

    [Fact]
    public async Task EU_entries_enter_as_proposed_with_their_tier_names_and_grades()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        // Follows the published EU structure; the names are invented.
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <export xmlns="http://eu.europa.ec/fpi/fsd/export">
              <sanctionEntity euReferenceNumber="EU.9001.01" logicalId="71">
                <regulation publicationDate="2021-03-01" programme="TERR"/>
                <subjectType code="enterprise"/>
                <nameAlias wholeName="Obsidian Dawn Movement" strong="true"/>
                <nameAlias wholeName="ODM" strong="false"/>
              </sanctionEntity>
              <sanctionEntity euReferenceNumber="EU.9001.02" logicalId="72">
                <regulation publicationDate="2021-03-01" programme="TERR"/>
                <subjectType code="person"/>
                <nameAlias firstName="Quillon" lastName="Varrenhast" strong="true"/>
              </sanctionEntity>
            </export>
            """;
        var run = await ImportText(core, "eu", xml);
        Assert.Equal((ImportRunStatuses.Applied, 2), (run.Status, run.Added));
        var entities = (await core.Get<EntityRegistry>().ListAsync(new EntityFilter(Source: "eu"), 0, 10, default)).Entities;
        Assert.All(entities, e => Assert.Equal(EntityStatuses.Proposed, e.Status));
        var org = Assert.Single(entities, e => e.Kind == EntityKinds.Organisation);
        Assert.Equal(EntityTiers.TerroristOrganisation, org.Tier);
        Assert.Contains(new EntityTerm(EntityTermTypes.Alias, "ODM", EntityGrades.Weak, "eu"), org.Terms);
        Assert.Equal(("EU.9001.01", "TERR"), (org.Listings[0].ReferenceNumber, org.Listings[0].ListType));
        Assert.Equal(EntityTiers.ViolentExtremistIndividual, Assert.Single(entities, e => e.Kind == EntityKinds.Individual).Tier);
    }
}
