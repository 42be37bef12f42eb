namespace Catalog.Catalogue
{
    /// <summary>
    /// The id of every problem the parser and linker report (the message says what is wrong and how to fix it).
    /// The generator turns each into a Roslyn diagnostic (tracked in its AnalyzerReleases.*.md); the CLI prints them.
    /// </summary>
    public static class CatalogProblems
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
        public const string MissingJoinPriceId = "PRICE016";
        public const string OverlappingWindowsId = "PRICE017";
        public const string InternalErrorId = "PRICE999";
    }
}
