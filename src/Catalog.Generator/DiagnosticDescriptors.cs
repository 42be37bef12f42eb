using Microsoft.CodeAnalysis;
using static Catalog.Catalogue.CatalogProblems;

namespace Catalog.Generator
{
    /// <summary>The Roslyn descriptor of each problem the catalogue parser reports (ids in <see cref="Catalogue.CatalogProblems"/>, tracked in AnalyzerReleases.*.md).</summary>
    public static class DiagnosticDescriptors
    {
        private const string Category = "PricingCatalog";

        public static readonly DiagnosticDescriptor YamlSyntax = Error(YamlSyntaxId, "pricing catalogue is not valid YAML");
        public static readonly DiagnosticDescriptor UnknownKey = Error(UnknownKeyId, "unknown key in pricing catalogue");
        public static readonly DiagnosticDescriptor MissingField = Error(MissingFieldId, "required field missing in pricing catalogue");
        public static readonly DiagnosticDescriptor InvalidValue = Error(InvalidValueId, "invalid value in pricing catalogue");
        public static readonly DiagnosticDescriptor NegativePrice = Error(NegativePriceId, "negative price in pricing catalogue");
        public static readonly DiagnosticDescriptor DuplicateName = Error(DuplicateNameId, "duplicate name in pricing catalogue");
        public static readonly DiagnosticDescriptor AliasTargetNotFound = Error(AliasTargetNotFoundId, "alias target not found");
        public static readonly DiagnosticDescriptor AliasCycle = Error(AliasCycleId, "alias cycle");
        public static readonly DiagnosticDescriptor TiersNotIncreasing = Error(TiersNotIncreasingId, "price tiers not strictly increasing");
        public static readonly DiagnosticDescriptor HistoryNotIncreasing = Error(HistoryNotIncreasingId, "price history dates not increasing");
        public static readonly DiagnosticDescriptor InvalidEnvName = Error(InvalidEnvNameId, "invalid environment variable name");
        public static readonly DiagnosticDescriptor ReplicaRange = Error(ReplicaRangeId, "endpoint replica range invalid");
        public static readonly DiagnosticDescriptor UnknownInstance = Error(UnknownInstanceId, "endpoint instance not in the instances table");
        public static readonly DiagnosticDescriptor SuspiciousUnit = Error(SuspiciousUnitId, "price looks like a unit mistake");
        public static readonly DiagnosticDescriptor MissingCatalog = Error(MissingCatalogId, "no pricing catalogue");
        public static readonly DiagnosticDescriptor MissingJoinPrice = Error(MissingJoinPriceId, "price set prices overlapping units without their overlap");
        public static readonly DiagnosticDescriptor OverlappingWindows = Error(OverlappingWindowsId, "time windows of one model overlap");
        public static readonly DiagnosticDescriptor InternalError = Error(InternalErrorId, "internal error in the pricing catalogue generator");

        private static readonly System.Collections.Generic.Dictionary<string, DiagnosticDescriptor> ById = new System.Collections.Generic.Dictionary<string, DiagnosticDescriptor>
        {
            [YamlSyntaxId] = YamlSyntax,
            [UnknownKeyId] = UnknownKey,
            [MissingFieldId] = MissingField,
            [InvalidValueId] = InvalidValue,
            [NegativePriceId] = NegativePrice,
            [DuplicateNameId] = DuplicateName,
            [AliasTargetNotFoundId] = AliasTargetNotFound,
            [AliasCycleId] = AliasCycle,
            [TiersNotIncreasingId] = TiersNotIncreasing,
            [HistoryNotIncreasingId] = HistoryNotIncreasing,
            [InvalidEnvNameId] = InvalidEnvName,
            [ReplicaRangeId] = ReplicaRange,
            [UnknownInstanceId] = UnknownInstance,
            [SuspiciousUnitId] = SuspiciousUnit,
            [MissingCatalogId] = MissingCatalog,
            [MissingJoinPriceId] = MissingJoinPrice,
            [OverlappingWindowsId] = OverlappingWindows,
            [InternalErrorId] = InternalError,
        };

        public static DiagnosticDescriptor For(string id) => ById.TryGetValue(id, out var descriptor) ? descriptor : InternalError;

        private static DiagnosticDescriptor Error(string id, string title) =>
            new DiagnosticDescriptor(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
