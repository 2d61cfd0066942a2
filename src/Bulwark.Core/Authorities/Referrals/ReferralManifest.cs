using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Actions.Review;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>
/// The referral package's manifest, schema <see cref="SchemaId"/> version <see cref="Version"/> (documented field by field in
/// <c>docs/authorities-referrals.md</c>). Fields are only ever added within a version; a removal or a change of meaning makes a new version.
/// </summary>
public sealed record ReferralManifest(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("legalBasis")] string LegalBasis,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("referredAt")] DateTimeOffset ReferredAt,
    [property: JsonPropertyName("referredBy")] string ReferredBy,
    [property: JsonPropertyName("recipient")] ManifestRecipient Recipient,
    [property: JsonPropertyName("escalation")] ManifestEscalation Escalation,
    [property: JsonPropertyName("assessment")] ManifestAssessment Assessment,
    [property: JsonPropertyName("content")] ManifestContent? Content,
    [property: JsonPropertyName("media")] IReadOnlyList<ManifestMedia> Media,
    [property: JsonPropertyName("account")] ManifestAccount? Account,
    [property: JsonPropertyName("signals")] IReadOnlyList<ManifestSignal> Signals,
    [property: JsonPropertyName("decision")] ManifestDecision? Decision,
    [property: JsonPropertyName("history")] IReadOnlyList<ManifestEvent> History,
    [property: JsonPropertyName("files")] IReadOnlyList<ManifestFile> Files,
    [property: JsonPropertyName("audit")] IReadOnlyList<ManifestAuditEntry>? Audit = null)
{
    public const string SchemaId = "bulwark.referral-manifest";
    public const int CurrentVersion = 1;
    public const string Art18 = "Regulation (EU) 2022/2065 (Digital Services Act), Article 18: notification of suspicions of criminal offences involving a threat to the life or safety of persons";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ReferralManifest? Parse(ReadOnlySpan<byte> utf8)
    {
        try { return JsonSerializer.Deserialize<ReferralManifest>(utf8, Json); }
        catch (JsonException) { return null; }
    }
}

public sealed record ManifestRecipient(string? Name, string? MemberState, string? Channel, bool Example, string MemberStateBasis);
public sealed record ManifestEscalation(long CaseId, string Queue, DateTimeOffset EscalatedAt, double MinutesToReferral, int TargetMinutes, bool OverTarget);
public sealed record ManifestAssessment(string Text, string Urgency, string By);
public sealed record ManifestContent(string Id, int Version, string? Kind, string? Text, string? Transcript, IReadOnlyList<string> Hashtags, IReadOnlyList<string> Links,
    string? Language, string? Source, string? SourceReference, long? ViewCount, DateTimeOffset ReceivedAt, bool DeletedUpstream);
/// <summary>A media file: its hash always; <see cref="File"/> is its copy's path inside the zip, or null with <see cref="Note"/> saying why.</summary>
public sealed record ManifestMedia(int Index, string? Sha256, long? Size, string? MimeType, string? Url, string? File, string? Note);
public sealed record ManifestAccount(string Id, string? Handle, string? DisplayName, string? Country, IReadOnlyList<ManifestPriorDecision> PriorDecisions,
    int ActiveStrikes, IReadOnlyList<string> LinkedAccounts);
public sealed record ManifestPriorDecision(long DecisionId, string ContentId, string Outcome, string? Policy, DateTimeOffset DecidedAt, bool Reversed);
public sealed record ManifestSignal(string Type, string Source, string? Value, double? Score, int? Distance, string? Bank, IReadOnlyList<string> Labels, string Explanation);
public sealed record ManifestDecision(long Id, string Outcome, string? Queue, string? Policy, string? Priority, string Explanation, IReadOnlyList<ManifestRule> Rules,
    IReadOnlyList<string> Actions, DateTimeOffset DecidedAt, string? ReviewedBy);
public sealed record ManifestRule(string Rule, string Policy, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Inputs);
public sealed record ManifestEvent(DateTimeOffset At, string Event, string By, string? Detail);
/// <summary>
/// An entry of the platform's audit log about the case (its review case, notes, decision, content and the referral's draft),
/// with its position in the hash chain and its hash, so the recipient can match it against the platform's anchored log.
/// </summary>
public sealed record ManifestAuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, string? Before, string? After, string? Reason, string Hash);
/// <summary>Another file of the package with its SHA-256, so the manifest's signature covers it too.</summary>
public sealed record ManifestFile(string Path, string Sha256, long Size);

/// <summary>Builds the manifest from the case as the case page shows it (whole, not blind) and renders the summary page.</summary>
public static class ReferralManifestBuilder
{
    public static ReferralManifest Build(ReferralRow r, CaseDetail detail, string serviceName, int targetMinutes, DateTimeOffset referredAt,
        IReadOnlyList<ManifestMedia> media, IReadOnlyList<ManifestEvent> history, string? accountCountry, IReadOnlyList<ManifestAuditEntry> audit)
    {
        var minutes = Math.Round((referredAt - r.EscalatedAt).TotalMinutes, 1);
        var c = detail.Content;
        var content = c is null ? null : new ManifestContent(c.ContentId, c.Version, c.Kind, c.Text, c.Transcript, c.Hashtags, c.Links, c.Language, c.Source,
            c.SourceReference, c.ViewCount, c.ReceivedAt, c.DeletedUpstream);
        var account = r.AccountId is null ? null : new ManifestAccount(r.AccountId, c?.AccountHandle, c?.AccountDisplayName, accountCountry,
            (detail.Account?.PriorDecisions ?? []).Select(p => new ManifestPriorDecision(p.DecisionId, p.ContentId, p.Outcome, p.Policy, p.DecidedAt, p.Reversed)).ToList(),
            detail.Account?.ActiveStrikes.Count ?? 0, (detail.Account?.LinkedAccounts ?? []).Select(l => l.AccountId).ToList());
        var d = detail.Decision;
        var decision = d is null ? null : new ManifestDecision(d.Id, d.Outcome, d.Queue, d.Policy, d.Priority, d.Explanation,
            d.Fired.Where(f => f.Mode == "enforce").Select(f => new ManifestRule(f.Rule, f.Policy, f.Outcomes, f.Inputs)).ToList(),
            (d.Actions ?? []).Select(a => a.Kind).ToList(), d.DecidedAt, d.ReviewedBy);
        return new ReferralManifest(ReferralManifest.SchemaId, ReferralManifest.CurrentVersion, r.Reference, ReferralManifest.Art18, serviceName, referredAt, r.ReferredBy ?? r.CreatedBy,
            new ManifestRecipient(r.RecipientName, r.RecipientMemberState, r.RecipientChannel, r.RecipientExample, r.MemberStateBasis),
            new ManifestEscalation(r.CaseId, detail.Case.Queue, r.EscalatedAt, minutes, targetMinutes, minutes > targetMinutes),
            new ManifestAssessment(r.Assessment ?? "", r.Urgency ?? ReferralUrgency.Immediate, r.ReferredBy ?? r.CreatedBy),
            content, media, account,
            detail.Signals.Select(s => new ManifestSignal(s.Type, s.Source, s.Value, s.Score, s.Distance, s.Bank, s.Labels, s.Explanation)).ToList(),
            decision, history, [], audit);
    }

    /// <summary>The human-readable page: everything in the manifest, in English, as plain HTML with no script or external resource.</summary>
    public static string SummaryHtml(ReferralManifest m)
    {
        static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        static string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Referral ").Append(H(m.Reference)).Append("</title>")
          .Append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}th{text-align:left;vertical-align:top;padding-right:1em}td{vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em}</style></head><body>\n");
        sb.Append("<h1>Referral ").Append(H(m.Reference)).Append("</h1>\n");
        sb.Append("<p>").Append(H(m.LegalBasis)).Append(".</p>\n");
        if (m.Recipient.Example) sb.Append("<p><strong>EXAMPLE RECIPIENT: configuration example, not a real authority.</strong></p>\n");
        sb.Append("<table>");
        Row(sb, "Service", m.Service);
        Row(sb, "Recipient", $"{m.Recipient.Name} ({m.Recipient.MemberState}, {m.Recipient.Channel}); Member State chosen: {m.Recipient.MemberStateBasis}");
        Row(sb, "Urgency", m.Assessment.Urgency);
        Row(sb, "Escalated", T(m.Escalation.EscalatedAt) + $" (case {m.Escalation.CaseId}, queue {m.Escalation.Queue})");
        Row(sb, "Referred", T(m.ReferredAt) + $" by {m.ReferredBy}; {m.Escalation.MinutesToReferral.ToString("0.#", CultureInfo.InvariantCulture)} min after escalation (target {m.Escalation.TargetMinutes} min{(m.Escalation.OverTarget ? ", exceeded" : "")})");
        sb.Append("</table>\n<h2>Reviewer's assessment</h2>\n<pre>").Append(H(m.Assessment.Text)).Append("</pre>\n");
        if (m.Content is { } c)
        {
            sb.Append("<h2>Content</h2>\n<table>");
            Row(sb, "Id", $"{c.Id} (version {c.Version}, {c.Kind})");
            Row(sb, "Received", T(c.ReceivedAt) + (c.DeletedUpstream ? "; deleted by the platform since" : ""));
            Row(sb, "Source", $"{c.Source} {c.SourceReference}");
            Row(sb, "Language", c.Language);
            Row(sb, "Views", c.ViewCount?.ToString(CultureInfo.InvariantCulture));
            sb.Append("</table>\n");
            if (c.Text is not null) sb.Append("<h3>Text</h3><pre>").Append(H(c.Text)).Append("</pre>\n");
            if (c.Transcript is not null) sb.Append("<h3>Transcript</h3><pre>").Append(H(c.Transcript)).Append("</pre>\n");
            if (c.Links.Count > 0) sb.Append("<p>Links: ").Append(H(string.Join(" ", c.Links))).Append("</p>\n");
        }
        sb.Append("<h2>Media</h2>\n<table><tr><th>#</th><th>SHA-256</th><th>Size</th><th>Type</th><th>Copy</th></tr>");
        foreach (var md in m.Media)
            sb.Append("<tr><td>").Append(md.Index).Append("</td><td><code>").Append(H(md.Sha256)).Append("</code></td><td>").Append(md.Size)
              .Append("</td><td>").Append(H(md.MimeType)).Append("</td><td>").Append(H(md.File ?? md.Note)).Append("</td></tr>");
        sb.Append("</table>\n");
        if (m.Account is { } a)
        {
            sb.Append("<h2>Account (as the platform sent it)</h2>\n<table>");
            Row(sb, "Id", a.Id);
            Row(sb, "Handle", a.Handle);
            Row(sb, "Display name", a.DisplayName);
            Row(sb, "Country", a.Country);
            Row(sb, "Active strikes", a.ActiveStrikes.ToString(CultureInfo.InvariantCulture));
            Row(sb, "Earlier decisions", string.Join("; ", a.PriorDecisions.Select(p => $"{p.ContentId}: {p.Outcome} {p.Policy} {T(p.DecidedAt)}{(p.Reversed ? " (reversed)" : "")}")));
            Row(sb, "Linked accounts", string.Join(", ", a.LinkedAccounts));
            sb.Append("</table>\n");
        }
        sb.Append("<h2>Signals</h2>\n<table><tr><th>Type</th><th>Score</th><th>Explanation</th></tr>");
        foreach (var s in m.Signals)
            sb.Append("<tr><td>").Append(H(s.Type)).Append("</td><td>").Append(s.Score?.ToString("0.###", CultureInfo.InvariantCulture))
              .Append("</td><td>").Append(H(s.Explanation)).Append("</td></tr>");
        sb.Append("</table>\n");
        if (m.Decision is { } d)
        {
            sb.Append("<h2>Decision</h2>\n<p>").Append(H($"{d.Outcome} under {d.Policy} at {T(d.DecidedAt)}: {d.Explanation}")).Append("</p>\n<ul>");
            foreach (var rule in d.Rules) sb.Append("<li>").Append(H($"{rule.Rule} ({rule.Policy}): {string.Join(", ", rule.Outcomes)}; read {string.Join("; ", rule.Inputs)}")).Append("</li>");
            sb.Append("</ul>\n");
        }
        sb.Append("<h2>Case history</h2>\n<table>");
        foreach (var e in m.History) sb.Append("<tr><td>").Append(T(e.At)).Append("</td><td>").Append(H(e.Event)).Append("</td><td>").Append(H(e.By)).Append("</td><td>").Append(H(e.Detail)).Append("</td></tr>");
        sb.Append("</table>\n<h2>Audit trail</h2>\n<table><tr><th>#</th><th>Time</th><th>Who</th><th>Action</th><th>Subject</th><th>Change</th><th>Reason</th></tr>");
        foreach (var e in m.Audit ?? [])
            sb.Append("<tr><td>").Append(e.Seq).Append("</td><td>").Append(T(e.At)).Append("</td><td>").Append(H(e.Actor)).Append("</td><td>").Append(H(e.Action))
              .Append("</td><td>").Append(H(e.Subject)).Append("</td><td>").Append(H(e.Before is null ? e.After : $"{e.Before} → {e.After}")).Append("</td><td>").Append(H(e.Reason)).Append("</td></tr>");
        sb.Append("</table>\n<h2>Integrity</h2>\n<p>manifest.json is signed with Ed25519 (manifest.sig.json holds the signature and the key). The manifest lists the SHA-256 of every media copy; check with <code>bulwark authorities referrals verify FILE.zip --public-key KEY</code> or any Ed25519 tool (see README.txt).</p>\n</body></html>\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string label, string? value) =>
        sb.Append("<tr><th>").Append(WebUtility.HtmlEncode(label)).Append("</th><td>").Append(WebUtility.HtmlEncode(value ?? "")).Append("</td></tr>");
}
