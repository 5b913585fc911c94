enum GDBRemotePlaceholder {}
