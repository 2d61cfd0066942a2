using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core.Authorities.Registry;

namespace Bulwark.Core.Authorities.Orders;

/// <summary>
/// The answers to a removal order, as JSON (schema <c>bulwark.removal-order.annex-ii/1</c> and <c>…annex-iii/1</c>, in
/// docs/authorities.md) and as the console's printable pages: Annex II, the feedback on the removal (what was done, when,
/// to which items; Reg. 2021/784 Art. 3(6)), and Annex III, the information that the order cannot be executed (Art. 3(7), 3(8)).
/// The field names follow the annexes' sections; the wording of the official forms is the authority's, not reproduced here.
/// </summary>
public static class AnnexForms
{
    public const string AnnexIISchema = "bulwark.removal-order.annex-ii/1";
    public const string AnnexIIISchema = "bulwark.removal-order.annex-iii/1";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string AnnexII(RemovalOrderRow o, IReadOnlyList<RemovalOrderItemRow> items, CompetentAuthority? authority, RemovalOrderOptions options, DateTimeOffset now)
    {
        var form = new JsonObject
        {
            ["schema"] = AnnexIISchema,
            ["form"] = "Annex II — feedback following removal of or disabling of access to terrorist content",
            ["regulation"] = "Regulation (EU) 2021/784, Art. 3(6)",
            ["order"] = OrderPart(o, authority),
            ["hostingServiceProvider"] = options.ServiceProviderName,
            ["receivedAt"] = o.ReceivedAt,
            ["action"] = o.Status == OrderStatus.Reinstated ? "reinstated after scrutiny" : "access disabled in all Member States (removed)",
            ["executedAt"] = o.ExecutedAt,
            ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject
            {
                ["item"] = i.Value, ["kind"] = i.Kind, ["contentId"] = i.ContentId, ["status"] = i.Status,
                ["actionTakenAt"] = i.ExecutedAt, ["reinstatedAt"] = i.ReinstatedAt, ["note"] = i.Note,
            }).ToArray()),
            ["preservation"] = "The removed content and related data are preserved for six months (Art. 6), longer under a legal hold.",
            ["contentProviderInformed"] = o.DeferInformingUntil is { } until && until > now ? $"deferred until {until:O} at the authority's request (Art. 11(3))" : "yes (Art. 11)",
            ["generatedAt"] = now,
        };
        if (o.ReinstatedAt is not null)
            form["reinstatement"] = new JsonObject
            {
                ["scrutinyOutcome"] = o.ScrutinyOutcome, ["scrutinyAt"] = o.ScrutinyAt, ["reinstatedAt"] = o.ReinstatedAt, ["dueAt"] = o.ReinstateDueAt,
                ["basis"] = "Art. 4(7): the competent authority of the Member State of establishment found that the order infringes the Regulation or fundamental rights",
            };
        return form.ToJsonString(Indented);
    }

    public static string AnnexIII(RemovalOrderRow o, IReadOnlyList<RemovalOrderItemRow> items, CompetentAuthority? authority, RemovalOrderOptions options, string filedBy, DateTimeOffset now)
    {
        var form = new JsonObject
        {
            ["schema"] = AnnexIIISchema,
            ["form"] = "Annex III — information about the impossibility to execute the removal order",
            ["regulation"] = "Regulation (EU) 2021/784, Art. 3(7) and 3(8)",
            ["order"] = OrderPart(o, authority),
            ["hostingServiceProvider"] = options.ServiceProviderName,
            ["receivedAt"] = o.ReceivedAt,
            ["ground"] = o.ImpossibleGround,
            ["groundText"] = o.ImpossibleGround switch
            {
                ImpossibilityGrounds.ForceMajeure => "force majeure",
                ImpossibilityGrounds.DeFactoImpossibility => "de facto impossibility not attributable to the hosting service provider",
                ImpossibilityGrounds.ManifestErrors => "the order contains manifest errors",
                ImpossibilityGrounds.InsufficientInformation => "the order does not contain sufficient information",
                _ => o.ImpossibleGround,
            },
            ["reasons"] = o.ImpossibleReasons,
            ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["item"] = i.Value, ["kind"] = i.Kind, ["contentId"] = i.ContentId, ["status"] = i.Status, ["note"] = i.Note }).ToArray()),
            ["filedBy"] = filedBy,
            ["filedAt"] = now,
        };
        return form.ToJsonString(Indented);
    }

    private static JsonObject OrderPart(RemovalOrderRow o, CompetentAuthority? authority) => new()
    {
        ["reference"] = o.Reference, ["issuingAuthority"] = authority?.Name ?? o.AuthorityId, ["authorityId"] = o.AuthorityId,
        ["memberState"] = o.MemberState, ["issuedAt"] = o.IssuedAt, ["ground"] = $"Art. 2(7)({Grounds.Letter(o.Ground)}) {o.Ground}",
        ["crossBorder"] = o.CrossBorder, ["feedbackContact"] = o.FeedbackContact,
    };
}
