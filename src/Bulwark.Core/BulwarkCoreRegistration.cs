using Bulwark.Core.Accounts;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core;

public static class BulwarkCoreRegistration
{
    /// <summary>
    /// Registers the pipeline stage by stage. Options are validated at start-up, so a bad setting stops the process with a
    /// message naming it. Workers are added separately (<see cref="AddBulwarkWorkers"/>) so the CLI can use the same services.
    /// </summary>
    public static IServiceCollection AddBulwarkCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // One Random for the process; it is not thread-safe, so every user locks the instance itself around each call.
        services.TryAddSingleton(_ => new Random());
        services.AddMetrics();
        services.TryAddSingleton<BulwarkMetrics>();

        services.AddBulwarkStorage(configuration);
        AddOptions<IngestOptions>(services, configuration, IngestOptions.Section);
        AddOptions<PipelineOptions>(services, configuration, PipelineOptions.Section);
        AddOptions<KnownContentOptions>(services, configuration, KnownContentOptions.Section);
        AddOptions<Bulwark.Core.Signals.Entities.EntityOptions>(services, configuration, Bulwark.Core.Signals.Entities.EntityOptions.Section);
        AddOptions<Bulwark.Core.Actions.Webhooks.WebhookOptions>(services, configuration, Bulwark.Core.Actions.Webhooks.WebhookOptions.Section);
        AddOptions<Policy.Enforcement.EnforcementOptions>(services, configuration, Policy.Enforcement.EnforcementOptions.Section);

        // Records
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditVerifier>();
        Records.Anchoring.AuditAnchorRegistration.AddBulwarkAuditAnchoring(services, configuration);
        services.AddSingleton<ApiKeyService>();

        // Ingest
        services.AddSingleton(sp => new AddressGuard(sp.GetRequiredService<IngestOptions>().Fetch.AllowedInternal));
        services.TryAddSingleton<IHostResolver, DnsHostResolver>(); // every outbound connection resolves through GuardedConnector
        services.AddSingleton<ContentEventValidator>();
        services.AddSingleton<IMediaStore>(sp => new FileMediaStore(sp.GetRequiredService<IngestOptions>().MediaPath));
        services.AddSingleton<MediaFetcher>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<AccountService>();

        // Signals → Policy → Actions
        services.AddSingleton<PipelineMedia>();
        services.AddSingleton<PdqIndexService>();
        services.AddSingleton<IReferenceChangeNotices, NoReferenceChangeNotices>(); // JetStream replaces it (docs/scale-out.md)
        services.AddSingleton<MediaHasher>();
        services.AddSingleton<KnownContentMatcher>();
        services.AddSingleton<BankService>();
        services.AddSingleton<ISignalExtractor, ExactHashExtractor>();
        // OCR adds text that the text detectors registered after it read (PipelineTexts).
        Bulwark.Core.Signals.Ocr.OcrRegistration.AddBulwarkOcr(services, configuration);
        Bulwark.Core.Signals.Classifiers.ClassifierRegistration.AddBulwarkClassifiers(services, configuration);
        // The explainable violent-speech analyser reads the same texts beside the statistical model (docs/violent-speech.md).
        Bulwark.Core.Signals.ViolentSpeech.ViolentSpeechRegistration.AddBulwarkViolentSpeech(services, configuration);
        Bulwark.Core.Signals.Semantic.SemanticRegistration.AddBulwarkSemantic(services, configuration);
        services.AddSingleton<Bulwark.Core.Signals.Entities.EntityScreeningService>();
        services.AddSingleton<Bulwark.Core.Signals.Entities.EntityRegistry>();
        services.AddSingleton<Bulwark.Core.Signals.Entities.ListImportService>();
        services.AddSingleton<ISignalExtractor, Bulwark.Core.Signals.Entities.EntityScreeningExtractor>();
        services.AddSingleton<ISignalExtractor, KnownContentExtractor>();
        services.AddSingleton<ISignalExtractor, UrlExtractor>();
        services.AddSingleton<ISignalExtractor, TimePlaceExtractor>();
        services.AddSingleton<ISignalExtractor, Bulwark.Core.Signals.Accounts.BanEvasionExtractor>();
        // A notice (user report, trusted flagger, partner alert, authority order) is evidence that someone asked for a look.
        services.AddSingleton<ISignalExtractor, Bulwark.Core.Signals.Notices.NoticeExtractor>();
        // Partner exchanges (docs/exchanges.md): after the matchers, so the flood guard sees their matches.
        Bulwark.Core.Signals.Exchange.ExchangeRegistration.AddBulwarkExchanges(services, configuration);
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<Policy.Enforcement.EnforcementService>();
        services.AddSingleton<IPolicyDecider, RulesDecider>();
        // Every restriction (pipeline, person, bulk, appeal, authority order) is committed by this one writer, in the
        // order written out in its file: decision, actions, strikes and thresholds, statement, preservation, review case, audit.
        services.AddSingleton<Bulwark.Core.Actions.Restrictions.RestrictionWriter>();
        services.AddSingleton<Backtester>();
        services.AddSingleton<Bulwark.Core.Actions.IActionOutbox, Bulwark.Core.Actions.ActionOutbox>();
        Policy.Appeals.AppealRegistration.AddBulwarkAppeals(services, configuration);
        Records.Preservation.PreservationRegistration.AddBulwarkPreservation(services, configuration);
        // Notices (DSA Art. 16, 22): before transparency, whose empty notice counts it replaces.
        Notices.NoticeRegistration.AddBulwarkNotices(services, configuration);
        Reports.Transparency.TransparencyRegistration.AddBulwarkTransparency(services, configuration);
        // Human review: a case for every decision sent to review or escalated, and for every appeal.
        Bulwark.Core.Actions.Review.ReviewRegistration.AddBulwarkReview(services, configuration);
        Bulwark.Core.Actions.Review.Routing.QueueRoutingRegistration.AddBulwarkQueueRouting(services);
        Bulwark.Core.Actions.Review.Search.SearchIndexRegistration.AddBulwarkSearchIndex(services);
        Security.Users.ConsoleUserRegistration.AddBulwarkConsoleUsers(services, configuration);
        // Reports: researcher access (docs/research-api.md).
        Reports.Research.ResearchRegistration.AddBulwarkResearch(services, configuration);
        // Authorities: the competent authorities registry and removal orders (docs/authorities.md).
        Authorities.AuthoritiesRegistration.AddBulwarkAuthorities(services, configuration);

        // Actions → delivery (webhooks, pull feed) and statements of reasons
        Bulwark.Core.Actions.Webhooks.WebhookRegistration.AddBulwarkWebhooks(services, configuration);
        Authorities.Referrals.ReferralRegistration.AddBulwarkReferrals(services, configuration);
        services.AddSingleton<Bulwark.Core.Records.StatementsOfReasons.StatementOfReasonsService>();

        // Pipeline
        services.AddSingleton<Backoff>();
        services.AddSingleton<IWorkInbox, DbInbox>();
        services.AddSingleton<DbDeadLetters>();
        services.AddSingleton<IWorkQueue, DbWorkQueue>(); // replaced by Bulwark:Queue:Provider=JetStream (Bulwark.Queue.JetStream)
        services.AddSingleton<PipelineStatus>();
        services.AddSingleton<DeadLetterRetry>();
        services.AddSingleton<QueueRepair>();
        services.AddSingleton<PipelineProcessor>();
        services.AddSingleton<WorkerStatus>();
        return services;
    }

    /// <param name="configuration">Read for <c>Bulwark:Roles</c> (<see cref="ProcessRoles"/>); without it, every role runs.</param>
    public static IServiceCollection AddBulwarkWorkers(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var roles = ProcessRoles.From(configuration);
        services.AddSingleton(roles);
        services.AddHostedService<PipelineWorker>();
        services.AddQueueGauges();
        if (!roles.Worker) services.PostConfigure<PipelineOptions>(o => o.WorkersEnabled = false);
        services.AddHostedService<PdqIndexLoader>();
        services.AddHostedService<Bulwark.Core.Signals.Entities.EntityScreeningLoader>();
        if (roles.Webhooks) services.AddHostedService<Bulwark.Core.Actions.Webhooks.WebhookWorker>();
        if (!roles.Scheduler) return services;
        Records.Preservation.PreservationRegistration.AddPreservationWorker(services);
        Records.Anchoring.AuditAnchorRegistration.AddAuditCheckpointWorker(services);
        Reports.Research.ResearchRegistration.AddResearchWorker(services);
        Bulwark.Core.Actions.Review.Search.SearchIndexRegistration.AddSearchIndexWorker(services);
        Reports.Transparency.TransparencyRegistration.AddTransparencyWorker(services);
        Authorities.Referrals.ReferralRegistration.AddReferralWorker(services);
        Authorities.AuthoritiesRegistration.AddAuthoritiesWorker(services);
        Notices.NoticeRegistration.AddNoticeWorker(services);
        Bulwark.Core.Signals.Exchange.ExchangeRegistration.AddExchangeFetcher(services);
        return services;
    }

    private static void AddOptions<T>(IServiceCollection services, IConfiguration configuration, string section) where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }
}
