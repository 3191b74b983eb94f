namespace Bms.Server.Auth;

internal sealed partial class SignInGuard
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Sign-in refused: address {Address} is over its attempt limit")]
        public static partial void AddressLimited(ILogger logger, string address);

        [LoggerMessage(2, LogLevel.Debug, "Sign-in refused: {Name} is over its failure limit")]
        public static partial void NameLimited(ILogger logger, string name);

        [LoggerMessage(3, LogLevel.Debug, "Sign-in refused: no password hashing slot became free in time")]
        public static partial void HashingBusy(ILogger logger);
    }
}
