using Bulwark.Core.Ingest;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Hosting;

/// <summary>
/// Seeds invented, clearly fictional designated groups as approved registry entries, and content that names them through
/// obfuscation (homoglyphs, leetspeak, zero-width characters), so the entity screening can be watched in the demo.
/// No real organisation or person is named.
/// </summary>
public sealed class DemoEntities(IBulwarkDbFactory dbs, EntityRegistry registry, IngestService ingest)
{
    public const string Actor = "demo";
    public const string CaptionItem = "demo-entity-caption";
    public const string HandleItem = "demo-entity-handle";
    public const string HollowSun = "Brotherhood of the Hollow Sun";
    public const string CinderOath = "Cinder Oath Legion";

    private static readonly EntityInput[] Groups =
    [
        new(EntityKinds.Organisation, HollowSun, EntityTiers.ViolentExtremistOrganisation, "DEMO: fictional accelerationist group",
            Notes: "DEMO: an invented group for the synthetic demo; not a real organisation.",
            Terms: [new(EntityTermTypes.Alias, "Hollow Sun"), new(EntityTermTypes.Hashtag, "#hollowsunrising"), new(EntityTermTypes.Emoji, "🌑🔥"),
                    new(EntityTermTypes.Slogan, "the sun is hollow and so are they"), new(EntityTermTypes.Alias, "BHS", EntityGrades.Weak)]),
        new(EntityKinds.Organisation, CinderOath, EntityTiers.TerroristOrganisation, "DEMO: fictional separatist militia",
            Notes: "DEMO: an invented group for the synthetic demo; not a real organisation.",
            Terms: [new(EntityTermTypes.Alias, "Legion of Cinders"), new(EntityTermTypes.Hashtag, "#cinderoath"), new(EntityTermTypes.Alias, "Cinder Oath")]),
        new(EntityKinds.Organisation, "Grey Tide Collective", EntityTiers.HatefulOrganisation, "DEMO: fictional hate group",
            Notes: "DEMO: an invented group for the synthetic demo; not a real organisation.",
            Terms: [new(EntityTermTypes.Hashtag, "#greytide")]),
    ];

    public async Task SeedAsync(CancellationToken ct)
    {
        await using (var db = dbs.Create())
            if (await db.Set<DesignatedEntityRow>().AnyAsync(e => e.PrimaryName == HollowSun, ct)) return; // seeded on an earlier start
        foreach (var group in Groups)
        {
            var created = await registry.CreateAsync(group, Actor, ct);
            await registry.ApproveAsync(created.Id, "DEMO: synthetic designation seeded for the demo", Actor, ct);
        }
        await ingest.AcceptManyAsync(
        [
            // Cyrillic Н and о, leetspeak 0 and $, a zero-width space inside "Oath".
            new ContentEvent { Id = CaptionItem, Kind = "video", Account = new AccountRef { Id = "demo-acct-3" }, Language = "en", Region = "GB",
                Text = "DEMO: j0in the Н0llоw $un, brothers. Cinder O\u200Bath forever" },
            new ContentEvent { Id = HandleItem, Kind = "profile", Account = new AccountRef { Id = "demo-acct-4", Handle = "c1nder_0ath_legi0n", DisplayName = "DEMO synthetic profile" } },
        ], ct);
    }
}
