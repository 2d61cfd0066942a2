using System.Text.Json;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;

namespace Bulwark.Server.Pages.Authorities;

/// <summary>An order's Annex II or Annex III as a printable page (every field of its JSON, flattened) or as the JSON itself (?format=json).</summary>
public sealed class OrderFormModel(RemovalOrderService orders) : ConsolePageModel
{
    public RemovalOrderView Order { get; private set; } = null!;
    public string Form { get; private set; } = "";
    public List<(string Key, string Value)> Fields { get; } = [];

    public async Task<IActionResult> OnGetAsync(long id, string form, string? format, CancellationToken ct)
    {
        var o = await orders.GetAsync(id, ct);
        var json = form == "annex-ii" ? o?.Feedback : o?.AnnexIII;
        if (o is null || json is null) return NotFound();
        if (format == "json") return Content(json.Value.GetRawText(), "application/json");
        (Order, Form) = (o, form);
        Flatten("", json.Value);
        return Page();
    }

    private void Flatten(string prefix, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Flatten(prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", p.Value);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var x in e.EnumerateArray()) Flatten($"{prefix}[{++i}]", x);
                break;
            case JsonValueKind.Null: break;
            default: Fields.Add((prefix, e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())); break;
        }
    }
}
