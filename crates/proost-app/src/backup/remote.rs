//! Off-site copies in an object store (`--backup-to s3://bucket/prefix`) through the
//! `object_store` crate, over our own hyper + rustls client on ring (its bundled reqwest
//! client would bring aws-lc-rs into the tree).
//!
//! Backups are still written, checked and pruned in the local backup directory first; the
//! bucket then mirrors it: every backup of the index not yet there is uploaded, then the
//! index, then what the index no longer lists (pruned, or dropped by a shred) is deleted.
//! An upload that fails leaves the local backup whole and is retried by the next backup.
//! Credentials and the endpoint come from the usual `AWS_*` environment variables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector as TcpConnector;
use hyper_util::rt::TokioExecutor;
use object_store::client::{
    ClientOptions, HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest,
    HttpRequestBody, HttpResponse, HttpResponseBody, HttpService,
};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::index;
use crate::{Error, Kind, Result};

/// Large enough that a backup of a few GiB stays under S3's 10,000 parts.
const PART_BYTES: usize = 16 * 1024 * 1024;
const INDEX_OBJECT: &str = "manifest.json";

/// A bucket and prefix backups are copied to.
pub struct Remote {
    url: String,
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({})", self.url)
    }
}

fn remote_error(url: &str) -> impl Fn(object_store::Error) -> Error + '_ {
    move |e| {
        Error::new(
            Kind::ProviderUnavailable,
            "backup_remote_failed",
            format!("{url}: {e}"),
        )
    }
}

impl Remote {
    /// `s3://bucket[/prefix]`; settings from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_REGION`, `AWS_ENDPOINT_URL` (S3-compatible stores), `AWS_ALLOW_HTTP`, ….
    pub fn open(url: &str) -> Result<Remote> {
        let bad = |why: String| {
            Error::bad_request(
                "backup_destination_invalid",
                format!("--backup-to {url:?}: {why}"),
            )
        };
        let parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        if parsed.scheme() != "s3" {
            return Err(bad("give file:///path or s3://bucket/prefix".into()));
        }
        let bucket = parsed
            .host_str()
            .filter(|b| !b.is_empty())
            .ok_or_else(|| bad("name the bucket: s3://bucket/prefix".into()))?;
        let prefix = ObjectPath::parse(parsed.path().trim_matches('/'))
            .map_err(|e| bad(format!("the prefix: {e}")))?;
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_http_connector(RustlsConnector)
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(Remote {
            url: url.trim_end_matches('/').to_owned(),
            store: Arc::new(store),
            prefix,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn object(&self, name: &str) -> ObjectPath {
        self.prefix.clone().join(name)
    }

    /// The backup files (`*.age`) under the prefix.
    pub async fn names(&self) -> Result<Vec<String>> {
        let metas: Vec<_> = self
            .store
            .list(Some(&self.prefix))
            .try_collect()
            .await
            .map_err(remote_error(&self.url))?;
        let mut names: Vec<String> = metas
            .into_iter()
            .filter_map(|m| m.location.filename().map(str::to_owned))
            .filter(|n| n.ends_with(".age"))
            .collect();
        names.sort();
        Ok(names)
    }

    async fn upload(&self, local: &Path, name: &str) -> Result<()> {
        let failed = remote_error(&self.url);
        let upload = self
            .store
            .put_multipart(&self.object(name))
            .await
            .map_err(&failed)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let copied = async {
            let mut file = tokio::fs::File::open(local)
                .await
                .map_err(super::io_error("reading the backup"))?;
            let mut buf = vec![0u8; 1024 * 1024];
            loop {
                let n = file
                    .read(&mut buf)
                    .await
                    .map_err(super::io_error("reading the backup"))?;
                if n == 0 {
                    return Ok(());
                }
                writer.wait_for_capacity(4).await.map_err(&failed)?;
                writer.write(&buf[..n]);
            }
        }
        .await;
        match copied {
            // S3 makes the object visible only when the upload completes: never half of one.
            Ok(()) => writer.finish().await.map(|_| ()).map_err(&failed),
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// Copies the backup named `name` (as listed under the prefix) to `into`: written to a
    /// temporary name, synced, renamed.
    pub async fn download(&self, name: &str, into: &Path) -> Result<()> {
        let failed = remote_error(&self.url);
        let got = self
            .store
            .get(&self.object(name))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => Error::new(
                    Kind::NotFound,
                    "backup_not_found",
                    format!("no backup {name} in {}", self.url),
                ),
                other => failed(other),
            })?;
        let partial = into.with_extension("partial");
        let written = async {
            let mut out = tokio::fs::File::create(&partial)
                .await
                .map_err(super::io_error("writing the downloaded backup"))?;
            let mut stream = got.into_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(&failed)?;
                out.write_all(&chunk)
                    .await
                    .map_err(super::io_error("writing the downloaded backup"))?;
            }
            out.sync_all()
                .await
                .map_err(super::io_error("writing the downloaded backup"))?;
            tokio::fs::rename(&partial, into)
                .await
                .map_err(super::io_error("naming the downloaded backup"))
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        written
    }

    /// Makes the bucket hold what the local index lists, and nothing else of ours.
    pub(super) async fn mirror(&self, dir: &Path) -> Result<()> {
        let local = index::read(dir)?;
        let there = self.names().await?;
        for entry in local.iter().filter(|e| !there.contains(&e.file)) {
            self.upload(&dir.join(&entry.file), &entry.file).await?;
        }
        let listing = std::fs::read(dir.join(INDEX_OBJECT))
            .map_err(super::io_error("reading the backup index"))?;
        self.store
            .put(&self.object(INDEX_OBJECT), Bytes::from(listing).into())
            .await
            .map_err(remote_error(&self.url))?;
        for stale in there
            .iter()
            .filter(|n| !local.iter().any(|e| &e.file == *n))
        {
            self.store
                .delete(&self.object(stale))
                .await
                .map_err(remote_error(&self.url))?;
        }
        Ok(())
    }
}

/// A backup named by its `s3://…/file.age` URL, fetched into `dir` (a local path is used as
/// it is). The caller removes the copy.
pub async fn fetch(file: &str, dir: &Path) -> Result<PathBuf> {
    let Some(rest) = file.strip_prefix("s3://") else {
        return Ok(PathBuf::from(file));
    };
    let (base, name) = match rest.rsplit_once('/') {
        Some((base, name)) if name.ends_with(".age") => (format!("s3://{base}"), name),
        _ => {
            return Err(Error::bad_request(
                "backup_not_found",
                format!("{file}: name a backup file, s3://bucket/prefix/proost-….age"),
            ));
        }
    };
    let remote = Remote::open(&base)?;
    let into = dir.join(name);
    remote.download(name, &into).await?;
    Ok(into)
}

/// object_store's HTTP client: hyper over rustls (ring), the system's roots.
#[derive(Debug)]
struct RustlsConnector;

impl HttpConnector for RustlsConnector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let tls = proost_connect::SourceTls {
            mode: proost_connect::TlsMode::VerifyFull,
            ca: None,
        }
        .client_config()
        .ok()
        .flatten()
        .ok_or_else(|| object_store::Error::Generic {
            store: "S3",
            source: "no system CA certificates found (install ca-certificates)".into(),
        })?;
        let builder = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config((*tls).clone());
        // Plain http only where the operator allowed it (AWS_ALLOW_HTTP, a local store).
        let allow_http = options
            .get_config_value(&object_store::ClientConfigKey::AllowHttp)
            .is_some_and(|v| v == "true");
        let connector = match allow_http {
            true => builder.https_or_http(),
            false => builder.https_only(),
        }
        .enable_http1()
        .build();
        let client: Client<_, HttpRequestBody> =
            Client::builder(TokioExecutor::new()).build(connector);
        Ok(HttpClient::new(Hyper(client)))
    }
}

#[derive(Debug)]
struct Hyper(Client<hyper_rustls::HttpsConnector<TcpConnector>, HttpRequestBody>);

#[async_trait::async_trait]
impl HttpService for Hyper {
    async fn call(&self, req: HttpRequest) -> std::result::Result<HttpResponse, HttpError> {
        let response = self
            .0
            .request(req)
            .await
            .map_err(|e| HttpError::new(HttpErrorKind::Request, e))?;
        let (parts, body) = response.into_parts();
        let body = body.map_err(|e| HttpError::new(HttpErrorKind::Interrupted, e));
        Ok(HttpResponse::from_parts(
            parts,
            HttpResponseBody::new(sync_body(body)),
        ))
    }
}

/// hyper's body is not `Sync`, which object_store's response body asks for: read it through
/// a stream that is.
fn sync_body(
    body: impl http_body::Body<Data = Bytes, Error = HttpError> + Send + 'static,
) -> impl http_body::Body<Data = Bytes, Error = HttpError> + Send + Sync + 'static {
    let frames = sync_wrapper::SyncStream::new(body.into_data_stream());
    http_body_util::StreamBody::new(frames.map(|chunk| chunk.map(http_body::Frame::data)))
}
