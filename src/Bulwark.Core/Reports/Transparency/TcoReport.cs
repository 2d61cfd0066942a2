using System.Text.Json;
using Bulwark.Core.Policy.Catalogue;
using M = Bulwark.Core.Reports.Transparency.TransparencyMetrics;

namespace Bulwark.Core.Reports.Transparency;

public sealed record TcoItem(string Id, string Title, string TitleIt, long? Count, string Context);

/// <summary>
/// The yearly transparency report of Regulation (EU) 2021/784 Art. 7(2) (terrorist content online), in its seven items.
/// Terrorist content is what a policy with terrorist-content grounds (Art. 2(7) a–e) removed; orders and review proceedings
/// come from <see cref="IAuthorityRecords"/>.
/// </summary>
public sealed record TcoReport(string Period, DateTimeOffset GeneratedAt, IReadOnlyList<string> Policies, IReadOnlyList<TcoItem> Items)
{
    public static TcoReport Build(PeriodFacts f, PolicyCatalogue catalogue, RecordCounts orders, TransparencyOptions options, DateTimeOffset now)
    {
        var terrorist = (catalogue.Policies ?? []).Where(p => p.TerroristContentGrounds is { Count: > 0 }).Select(p => p.Id!).ToHashSet(StringComparer.Ordinal);
        bool T(RollupFactRow x) => terrorist.Contains(x.Policy);
        var removed = f.Sum(M.ContentRemoved, T);
        var known = f.Sum(M.RemovedKnownContent, T);
        var appeals = f.Sum(M.AppealsSubmitted, T);
        var upheld = f.Sum(M.AppealsUpheld, T);
        var reversed = f.Sum(M.AppealsReversed, T);
        var restored = f.Sum(M.RestoredAfterAppeal, T);
        string Q(string key, string fallback) => options.Qualitative.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : fallback;
        var items = new List<TcoItem>
        {
            new("1", "Measures to identify and remove or disable access to terrorist content", "Misure per individuare e rimuovere contenuti terroristici o disabilitarne l'accesso", removed,
                Q("tco.measures", $"Content removed under policies with terrorist-content grounds ({string.Join(", ", terrorist.Order(StringComparer.Ordinal))}): {removed}, of which {f.Sum(M.RemovedAutomated, T)} by automation and {f.Sum(M.RemovedProactive, T)} before any report. Detection combines hash lists (PDQ, vPDQ, exact hashes), screening of designated entities, text classifiers and the violent-speech analyser; see the DSA report, table 9, for their accuracy.")),
            new("2", "Measures to address the reappearance of removed terrorist content", "Misure per contrastare la ricomparsa di contenuti terroristici rimossi", known,
                Q("tco.reappearance", $"Removals based on a match against hash lists of known content (re-uploads): {known}. Removed media can be added to the hash lists (`bank add`).")),
            new("3", "Items removed or disabled following removal orders or specific measures", "Elementi rimossi o disabilitati a seguito di ordini di rimozione o misure specifiche", orders["removal_order_items_removed"],
                $"Content items removed or disabled under removal orders: {orders["removal_order_items_removed"]} (orders executed: {orders["removal_orders_executed"]}; an order may name several items). " + orders.Context),
            new("4", "Removal orders not executed, with the grounds", "Ordini di rimozione non eseguiti, con i motivi", orders["removal_orders_not_executed"], orders.Context),
            new("5", "Complaints handled and their outcome", "Reclami trattati e relativo esito", appeals,
                $"Appeals received against removals under these policies: {appeals}; decided in the period: {upheld + reversed} ({upheld} upheld, {reversed} reversed)."),
            new("6", "Administrative or judicial review proceedings and their outcome", "Procedimenti di riesame amministrativo o giurisdizionale e relativo esito", orders["review_proceedings"],
                orders.Context + $" Content reinstated as a result of such proceedings: {orders["reinstated_after_review"]}."),
            new("7", "Content reinstated following a complaint", "Contenuti ripristinati a seguito di reclamo", restored,
                "Removals reversed on appeal and restored in the period."),
        };
        return new TcoReport(f.Period.ToString(), now, [.. terrorist.Order(StringComparer.Ordinal)], items);
    }

    public IReadOnlyList<ReportFile> Files()
    {
        var files = new List<ReportFile>
        {
            new("tco.json", "application/json", JsonSerializer.SerializeToUtf8Bytes(this, CgerReport.JsonOptions)),
            new("tco.csv", "text/csv", Csv.Bytes(["period", "item", "title", "number", "information"], Items.Select(i => new[] { Period, i.Id, i.Title, i.Count is { } c ? Csv.Number(c) : "", i.Context }))),
        };
        foreach (var lang in ReportText.Languages)
            files.Add(new($"tco.{lang}.html", "text/html", System.Text.Encoding.UTF8.GetBytes(ReportHtml.Tco(this, lang))));
        return files;
    }
}
