namespace Bms.Server.Auth;

internal sealed partial class AuthService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "User {UserId} ({Username}) signed in")]
        public static partial void LoggedIn(ILogger logger, int userId, string username);

        [LoggerMessage(2, LogLevel.Debug, "Failed sign-in for {Username}")]
        public static partial void LoginFailed(ILogger logger, string username);

        [LoggerMessage(3, LogLevel.Warning, "Refresh token reuse for user {UserId}; family {FamilyId} revoked")]
        public static partial void RefreshReuse(ILogger logger, int userId, string familyId);

        [LoggerMessage(4, LogLevel.Debug, "Failed terminal sign-in for {TerminalId}")]
        public static partial void TerminalLoginFailed(ILogger logger, string terminalId);
    }
}
