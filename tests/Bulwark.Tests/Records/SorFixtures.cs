using Bulwark.Core.Records.StatementsOfReasons;

namespace Bulwark.Tests.Records;

/// <summary>Fictional statements and inputs: no real account, person or content.</summary>
public static class SorFixtures
{
    public static StatementOfReasons Valid => new()
    {
        DecisionVisibility = ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        DecisionGround = SorVocabulary.GroundIncompatible,
        IncompatibleContentGround = "Community Guidelines, Violent extremism (VE-GLORIFY)",
        IncompatibleContentExplanation = "The video glorifies a violent extremist attack.",
        IncompatibleContentIllegal = "Yes",
        ContentType = ["CONTENT_TYPE_VIDEO"],
        Category = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        CategorySpecification = ["KEYWORD_TERRORIST_CONTENT"],
        TerritorialScope = ["GR", "IT"],
        ContentLanguage = "IT",
        ContentDate = "2026-01-10",
        ApplicationDate = "2026-01-15",
        DecisionFacts = "A re-upload of a video on a perpetrator-produced hash list was detected (perceptual match).",
        SourceType = "SOURCE_VOLUNTARY",
        AutomatedDetection = "Yes",
        AutomatedDecision = "AUTOMATED_DECISION_FULLY",
        Puid = "bulwark-decision-1",
    };

    public static SorInput Input(string puid = "bulwark-decision-1") => new()
    {
        Puid = puid,
        DecisionId = 1,
        ContentRestrictions = [ContentRestriction.Removed],
        Category = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        Keywords = ["KEYWORD_TERRORIST_CONTENT"],
        Ground = DecisionGround.IncompatibleContent,
        GroundReference = "Community Guidelines, Violent extremism (VE-GLORIFY)",
        GroundExplanation = "The video glorifies a violent extremist attack and its perpetrator.",
        AlsoIllegal = true,
        Facts = "A re-upload of a video on a perpetrator-produced hash list was detected by a perceptual match (distance 12) on 2026-01-15.",
        ContentTypes = [SorContentType.Video],
        ContentDate = new DateOnly(2026, 1, 10),
        ApplicationDate = new DateOnly(2026, 1, 15),
        TerritorialScope = ["EEA"],
        Language = "it",
        Source = SorSource.Voluntary,
        AutomatedDetection = true,
        AutomatedDecision = Automation.Fully,
        PersonalTerms = ["demo_reuploader", "Demo Re-uploader"],
    };
}
