using Bulwark.Core.Signals.Exchange;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Exchanges;

/// <summary>Partner exchanges for policy admins (auditors read): status, last fetch, counts, errors, pause and resume, feedback sent.</summary>
public sealed class ExchangesModel(ExchangeAdmin admin, ExchangeFeedback feedback, ExchangePublisher publisher, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public IReadOnlyList<ExchangeView> Items { get; private set; } = [];
    public IReadOnlyList<FetchView> Fetches { get; private set; } = [];
    public IReadOnlyList<FeedbackView> Feedback { get; private set; } = [];
    public IReadOnlyList<PublicationView> Publications { get; private set; } = [];

    [BindProperty] public string? Reason { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await admin.ListAsync(ct);
        Fetches = await admin.FetchesAsync(null, 20, ct);
        Feedback = await feedback.ListAsync(null, 50, ct);
        Publications = await publisher.ListAsync(ct);
    }

    public Task<IActionResult> OnPostPauseAsync(string name, CancellationToken ct) => SetAsync(name, pause: true, ct);
    public Task<IActionResult> OnPostResumeAsync(string name, CancellationToken ct) => SetAsync(name, pause: false, ct);

    private async Task<IActionResult> SetAsync(string name, bool pause, CancellationToken ct)
    {
        try
        {
            var v = pause ? await admin.PauseAsync(name, Reason, Actor, ct) : await admin.ResumeAsync(name, Reason, Actor, ct);
            Flash(string.Format(System.Globalization.CultureInfo.CurrentCulture, t[pause ? "Exchanges_PausedFlash" : "Exchanges_ResumedFlash"], v.Name));
            return RedirectToPage();
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ArgumentException)
        {
            Errors.Add(ex.Message.Split(" (Parameter")[0]);
            await LoadAsync(ct);
            return Page();
        }
    }
}
