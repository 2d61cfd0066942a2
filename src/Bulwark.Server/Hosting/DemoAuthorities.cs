using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Ingest;

namespace Bulwark.Server.Hosting;

/// <summary>
/// The demo's authorities: one clearly marked example registry entry (a fictional Italian authority, no real contact data,
/// competent for removal orders and referrals) beside the built-in Europol fallback, and two synthetic posts for a legal
/// officer to name in removal orders from the console (one to execute, one to answer with Annex III).
/// </summary>
public sealed class DemoAuthorities(AuthorityRegistry registry, IngestService ingest)
{
    public const string ExampleAuthority = "example-it-authority";
    public static readonly string[] OrderTargets = ["demo-order-target-1", "demo-order-target-2"];

    public async Task SeedAsync(CancellationToken ct)
    {
        await registry.EnsureFallbackAsync(ct);
        if (await registry.GetAsync(ExampleAuthority, ct) is null)
            await registry.SaveAsync(new AuthorityInput(ExampleAuthority, "EXAMPLE: Fictional Italian Internet Referral Unit (demo only)", "IT",
                [Competences.RemovalOrders, Competences.Referrals], Channels.Manual, "EXAMPLE ONLY — not a real contact point", Example: true,
                Note: "Illustrative entry seeded by --demo. Replace it with the real competent authority before use."), "demo", ct);
        for (var i = 0; i < OrderTargets.Length; i++)
            await ingest.AcceptOneAsync(new ContentEvent
            {
                Id = OrderTargets[i], Kind = "video", Account = new AccountRef { Id = "demo-acct-2", Handle = "demo_reuploader" },
                Text = $"DEMO: synthetic post {i + 1}, named by a fictional removal order in the demo walk-through", Language = "en", Region = "IT",
            }, null, ct);
    }
}
