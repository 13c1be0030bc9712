/** The version printed by `atmos version`. */
export const VERSION = "0.1.0";
