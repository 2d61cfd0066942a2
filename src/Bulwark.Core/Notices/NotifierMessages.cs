using System.Globalization;
using Bulwark.Core.Policy.Appeals;

namespace Bulwark.Core.Notices;

/// <summary>
/// What a notifier is told, in English or Italian (the notice's language): the acknowledgement of receipt (DSA Art. 16(4)),
/// the decision with the means of redress (Art. 16(5): the internal complaint of Art. 20, out-of-court dispute settlement of
/// Art. 21, the courts), and an Art. 23(2) warning or suspension with how to contest it. Never quotes the content.
/// </summary>
public sealed class NotifierMessages(NoticeOptions options, AppealOptions appeals)
{
    private string? AppealUrl => options.AppealUrl ?? appeals.NoticeAppealUrl;

    public string AcknowledgementText(NoticeRow n, DateTimeOffset? suspendedUntil)
    {
        var it = n.Language == "it";
        var when = Day(n.ReceivedAt, it);
        if (suspendedUntil is { } until)
            return it
                ? $"Abbiamo ricevuto la tua segnalazione n. {n.Id} il {when}. Il trattamento delle tue segnalazioni è sospeso fino al {Day(until, it)} (art. 23, par. 2, DSA): la segnalazione è conservata ma non sarà esaminata."
                : $"We received your notice no. {n.Id} on {when}. Processing of your notices is suspended until {Day(until, it)} (DSA Art. 23(2)): the notice is kept but will not be reviewed.";
        return it
            ? $"Abbiamo ricevuto la tua segnalazione n. {n.Id} il {when}. Una persona la esaminerà e ti comunicheremo la decisione."
            : $"We received your notice no. {n.Id} on {when}. A person will review it and we will tell you the decision.";
    }

    public NotifierDeliveryRow Acknowledgement(NoticeRow n, DateTimeOffset? suspendedUntil, DateTimeOffset now) =>
        Row(n, NotifierMessageKind.Acknowledgement, n.Language == "it" ? $"Segnalazione n. {n.Id} ricevuta" : $"Notice no. {n.Id} received",
            AcknowledgementText(n, suspendedUntil), now);

    public NotifierDeliveryRow Decision(NoticeRow n, DateTimeOffset now)
    {
        var it = n.Language == "it";
        var acted = n.Outcome == NoticeOutcome.ActionTaken;
        var decision = it
            ? acted ? $"Abbiamo esaminato la tua segnalazione n. {n.Id} e abbiamo agito: il contenuto viola la nostra policy {n.Policy}." : $"Abbiamo esaminato la tua segnalazione n. {n.Id} e non abbiamo riscontrato violazioni: non abbiamo preso provvedimenti."
            : acted ? $"We reviewed your notice no. {n.Id} and acted on it: the content breaks our {n.Policy} policy." : $"We reviewed your notice no. {n.Id} and found no violation: we took no action.";
        var how = it
            ? "La decisione è stata presa da una persona. Per i contenuti segnalati tramite notifica non usiamo decisioni interamente automatizzate."
            : "A person took this decision. We do not decide on notified content by fully automated means.";
        var where = AppealUrl is { } url ? url : it ? "il modulo di reclamo della piattaforma" : "the platform's complaint form";
        var redress = it
            ? $"Se non sei d'accordo puoi presentare un reclamo entro sei mesi tramite {where} (art. 20 DSA), rivolgerti a un organismo di risoluzione extragiudiziale delle controversie certificato (art. 21 DSA) o adire le vie legali."
            : $"If you disagree you can file a complaint within six months through {where} (DSA Art. 20), turn to a certified out-of-court dispute settlement body (DSA Art. 21), or go to court.";
        return Row(n, NotifierMessageKind.Decision, it ? $"Decisione sulla segnalazione n. {n.Id}" : $"Decision on notice no. {n.Id}",
            string.Join("\n\n", decision, how, redress), now);
    }

    public NotifierDeliveryRow Measure(NoticeRow n, NotifierMeasureRow m, int unfounded, DateTimeOffset now)
    {
        var it = n.Language == "it";
        var where = AppealUrl is { } url ? url : it ? "il modulo di reclamo della piattaforma" : "the platform's complaint form";
        string subject, body;
        if (m.Kind == NotifierMeasureKind.Warning)
        {
            subject = it ? "Avviso: segnalazioni manifestamente infondate" : "Warning: manifestly unfounded notices";
            body = it
                ? $"{unfounded} delle tue segnalazioni recenti sono state giudicate manifestamente infondate. Se continui, il trattamento delle tue segnalazioni sarà sospeso per un periodo limitato (art. 23, par. 2, DSA). Puoi contestare questo avviso tramite {where}."
                : $"{unfounded} of your recent notices were found manifestly unfounded. If this continues, processing of your notices will be suspended for a limited time (DSA Art. 23(2)). You can contest this warning through {where}.";
        }
        else
        {
            subject = it ? "Segnalazioni sospese" : "Notices suspended";
            body = it
                ? $"Dopo un avviso, {unfounded} delle tue segnalazioni sono state giudicate manifestamente infondate. Il trattamento delle tue segnalazioni è sospeso fino al {Day(m.Until!.Value, it)} (art. 23, par. 2, DSA). Puoi contestare la sospensione tramite {where}."
                : $"After a warning, {unfounded} of your notices were found manifestly unfounded. Processing of your notices is suspended until {Day(m.Until!.Value, it)} (DSA Art. 23(2)). You can contest the suspension through {where}.";
        }
        return Row(n, m.Kind, subject, body, now);
    }

    private static NotifierDeliveryRow Row(NoticeRow n, string kind, string subject, string body, DateTimeOffset now) => new()
    {
        NoticeId = n.Id, Kind = kind, Recipient = n.NotifierEmail, Language = n.Language, Subject = subject, Body = body,
        // Without an address the message is kept (the platform can read it through GET /api/v1/notices/{id}) but not sent.
        Status = n.NotifierEmail is null ? DeliveryStatus.NoAddress : DeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now,
    };

    private static string Day(DateTimeOffset t, bool it) => t.UtcDateTime.ToString(it ? "d MMMM yyyy" : "d MMMM yyyy", CultureInfo.GetCultureInfo(it ? "it-IT" : "en-GB"));
}
