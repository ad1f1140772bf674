//! Credentials, where they come from, and the default chain the client applies by itself.
//!
//! Order of the default chain (the official credential libraries' order): environment access key,
//! OIDC role (the RRSA variables `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
//! `ALIBABA_CLOUD_OIDC_TOKEN_FILE`), aliyun CLI profile (`~/.aliyun/config.json`: `AK`, `StsToken`,
//! `RamRoleArn`, `ChainableRamRoleArn`, `OIDC`, `EcsRamRole`), credentials file
//! (`~/.alibabacloud/credentials`), ECS RAM role (instance metadata), `ALIBABA_CLOUD_CREDENTIALS_URI`.
//! The first provider that answers is remembered; credentials with an expiry are refreshed ahead of it.
//!
//! One file per provider (as aws-config lays them out), the chain that tries them in order, and the
//! cache the client keeps in front of its provider.

pub(crate) mod cache;
mod chain;
mod cli_profile;
mod credentials_file;
mod credentials_uri;
mod ecs_ram_role;
mod environment;
mod oidc_role_arn;
mod provider;
mod ram_role_arn;
mod static_provider;
mod sts;
mod temporary;

pub(crate) use cache::CredentialsCache;
pub use chain::ProviderChain;
pub(crate) use cli_profile::profile_settings;
pub use cli_profile::CliProfileProvider;
pub use credentials_file::CredentialsFileProvider;
pub use credentials_uri::CredentialsUriProvider;
pub use ecs_ram_role::{EcsRamRoleProvider, ECS_METADATA_BASE_URL};
pub use environment::EnvironmentProvider;
pub use oidc_role_arn::OidcRoleArnProvider;
pub(crate) use provider::missing;
pub use provider::{Clock, Env, FileSource, ProvideCredentials};
pub use ram_role_arn::RamRoleArnProvider;
pub use static_provider::StaticProvider;
pub use sts::sts_endpoint;

/// The credentials value itself lives in `crate::identity`, below the signers that take it.
pub use crate::identity::Credentials;
