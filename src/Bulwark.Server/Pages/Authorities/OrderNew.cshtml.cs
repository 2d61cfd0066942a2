using System.Globalization;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Security;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Authorities;

/// <summary>A legal officer enters a removal order received by another channel (Annex I fields); receipt starts the clock.</summary>
public sealed class OrderNewModel(RemovalOrderService orders, AuthorityRegistry registry, IStringLocalizer<AuthoritiesText> a) : ConsolePageModel
{
    public sealed class Form
    {
        public string? Reference { get; set; }
        public string? Authority { get; set; }
        public string? MemberState { get; set; }
        public string? IssuedAt { get; set; }
        public string? Ground { get; set; }
        public string? LegalBasis { get; set; }
        public string? Reasons { get; set; }
        /// <summary>One content id or URL a line.</summary>
        public string? Items { get; set; }
        public string? DeferUntil { get; set; }
        public bool CrossBorder { get; set; }
        public string? FeedbackContact { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public IReadOnlyList<CompetentAuthority> Authorities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Authorities = await OrderAuthoritiesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!User.IsInRole(ConsoleRoles.LegalOfficer)) return Forbid();
        var lines = (Input.Items ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var input = new RemovalOrderInput
        {
            Reference = Input.Reference, Authority = Input.Authority, MemberState = Input.MemberState, IssuedAt = Utc(Input.IssuedAt, "issuedAt"),
            Ground = Input.Ground, LegalBasis = Input.LegalBasis, Reasons = Input.Reasons,
            ContentIds = lines.Where(l => !l.Contains("://", StringComparison.Ordinal)).ToList(), Urls = lines.Where(l => l.Contains("://", StringComparison.Ordinal)).ToList(),
            DeferInformingUntil = Utc(Input.DeferUntil, "deferInformingUntil"), CrossBorder = Input.CrossBorder, FeedbackContact = Input.FeedbackContact,
        };
        if (Errors.Count == 0)
        {
            var result = await orders.ReceiveAsync(input, Actor, ct);
            if (result.Error == OrderError.None)
            {
                Flash(a["Authorities.Received.Flash", result.Value!.Reference]);
                return Redirect($"/authorities/orders/{result.Value.Id}");
            }
            Errors.AddRange(result.Errors.Select(e => $"{e.Field} {e.Message}"));
            if (result.Message is not null) Errors.Add(result.Message);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Authorities = await OrderAuthoritiesAsync(ct);
        return Page();
    }

    private async Task<IReadOnlyList<CompetentAuthority>> OrderAuthoritiesAsync(CancellationToken ct) =>
        (await registry.ListAsync(ct)).Where(x => x.Active && x.IsCompetentFor(Competences.RemovalOrders)).ToList();

    // The form's date-times are UTC, as the console shows every time.
    private DateTimeOffset? Utc(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            return new DateTimeOffset(t, TimeSpan.Zero);
        Errors.Add($"{field} is not a date and time");
        return null;
    }
}
