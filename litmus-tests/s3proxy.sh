# Sourced by the test scripts: start_s3proxy WORKDIR JAR starts s3proxy (target/s3proxy.jar, which
# the build copies there) on a free loopback port with its objects under WORKDIR/s3, checking
# AWS signatures against one key, makes the bucket "depthdav", and sets S3_ENDPOINT, S3_BUCKET and
# the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables that the servers it is for read;
# stop_s3proxy stops it.

start_s3proxy() {
  local work=$1 jar=$2 port
  [ -f "$jar" ] || { echo "no s3proxy at $jar (mvn generate-test-resources copies it)" >&2; return 2; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/s3/objects"
  export AWS_ACCESS_KEY_ID=depthdav-litmus AWS_SECRET_ACCESS_KEY=depthdav-litmus-secret
  cat >"$work/s3/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3/objects
CONF
  java -Xmx256m -jar "$jar" --properties "$work/s3/s3proxy.conf" >"$work/s3/log" 2>&1 &
  S3_PID=$!
  S3_ENDPOINT=http://127.0.0.1:$port
  S3_BUCKET=depthdav
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null "$S3_ENDPOINT/"; then
      # a signed PUT of the bucket (curl signs with AWS Signature Version 4; S3 wants the
      # payload's hash named, here that of the empty body)
      curl -sf -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-content-sha256: $(sha256sum </dev/null | cut -d' ' -f1)" \
        "$S3_ENDPOINT/$S3_BUCKET" >/dev/null \
        || { echo "s3proxy: could not create the bucket" >&2; cat "$work/s3/log" >&2; return 1; }
      return 0
    fi
    kill -0 "$S3_PID" 2>/dev/null || { echo "s3proxy exited:" >&2; cat "$work/s3/log" >&2; return 1; }
    sleep 0.1
  done
  echo "s3proxy did not start within 60s" >&2
  return 1
}

stop_s3proxy() {
  if [ -n "${S3_PID:-}" ] && kill -0 "$S3_PID" 2>/dev/null; then
    kill "$S3_PID" 2>/dev/null || true
    wait "$S3_PID" 2>/dev/null || true
  fi
}
