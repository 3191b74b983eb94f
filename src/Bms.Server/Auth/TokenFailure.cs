namespace Bms.Server.Auth;

/// <summary>Why a token was refused.</summary>
internal enum TokenFailure
{
    None = 0,
    Missing = 1,
    Invalid = 2,
    Expired = 3,

    /// <summary>Validly signed and unexpired, but the user is disabled or unknown, or its security stamp changed.</summary>
    Revoked = 4,
}
