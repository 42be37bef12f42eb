using Microsoft.CodeAnalysis;

namespace Catalog.Generator
{
    /// <summary>Every diagnostic the catalogue can produce. Ids are tracked in AnalyzerReleases.*.md.</summary>
    public static class DiagnosticDescriptors
    {
        public const string YamlSyntaxId = "PRICE001";
        public const string UnknownKeyId = "PRICE002";
        public const string MissingFieldId = "PRICE003";
        public const string InvalidValueId = "PRICE004";
        public const string NegativePriceId = "PRICE005";
        public const string DuplicateNameId = "PRICE006";
        public const string AliasTargetNotFoundId = "PRICE007";
        public const string AliasCycleId = "PRICE008";
        public const string TiersNotIncreasingId = "PRICE009";
        public const string HistoryNotIncreasingId = "PRICE010";
        public const string InvalidEnvNameId = "PRICE011";
        public const string ReplicaRangeId = "PRICE012";
        public const string UnknownInstanceId = "PRICE013";
        public const string SuspiciousUnitId = "PRICE014";
        public const string MissingCatalogId = "PRICE015";
        public const string InternalErrorId = "PRICE999";

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
            [InternalErrorId] = InternalError,
        };

        public static DiagnosticDescriptor For(string id) => ById.TryGetValue(id, out var descriptor) ? descriptor : InternalError;

        private static DiagnosticDescriptor Error(string id, string title) =>
            new DiagnosticDescriptor(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
