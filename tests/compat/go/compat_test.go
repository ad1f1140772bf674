// The official Go SDKs, unmodified from the Go module proxy (pinned in go.mod and go.sum), against the emulator
// binary: github.com/aliyun/alibaba-cloud-sdk-go (typed live and vod requests, V1 signing; a CommonRequest for
// UpdateLivePullToPush, which its live package lacks) and github.com/alibabacloud-go/darabonba-openapi/v2
// (the generic CallApi, V3 by default and V1 with SignatureAlgorithm "v2"). Every operation must succeed with the
// right values in the SDK's own response, and a wrong secret must reach each stack as the service's refusal.
// scripts/test runs it with ALIPREFETCH_EMULATOR set to the emulator binary.
package compat

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/live"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vod"
)

const (
	domain       = "play.example.com"
	task         = "fd245384-4067-4f91-9d75-9666a6bc0001"
	mediaOK      = "ca3a8f6e4957b658067095869abc"
	mediaMissing = "missing00000000000000000000"
)

// The emulator binary on a free loopback port, with a relay task and one media id; its host:port.
func emulator(t *testing.T) string {
	t.Helper()
	binary := os.Getenv("ALIPREFETCH_EMULATOR")
	if binary == "" {
		t.Fatal("ALIPREFETCH_EMULATOR must name the emulator binary (scripts/test sets it)")
	}
	fixtures := t.TempDir() + "/fixtures.json"
	text := `{"live": {"pull_to_push_tasks": [{"task_id": "` + task + `", "region": "cn-shanghai", "state": "scheduled",
	  "start_time": "2030-01-01T00:00:00Z", "end_time": "2030-01-02T00:00:00Z", "source_urls": ["rtmp://origin.example.com/app/s"]}]},
	  "vod": {"media": [{"media_id": "` + mediaOK + `"}]}}`
	if err := os.WriteFile(fixtures, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "--listen", "127.0.0.1:0", "--fixtures", fixtures)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "listening on http://"); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatal("the emulator did not say where it listens")
	return ""
}

// The core SDK (aliyun/alibaba-cloud-sdk-go): typed requests, V1 signing.
func TestCoreSdkEveryOperation(t *testing.T) {
	host := emulator(t)
	liveClient, err := live.NewClientWithAccessKey("cn-shanghai", "testid", "testsecret")
	if err != nil {
		t.Fatal(err)
	}
	set := live.CreateSetLiveStreamPreloadTasksRequest()
	set.Scheme, set.Domain = "http", host
	set.DomainName, set.PlayUrl, set.Area = domain, "rtmp://"+domain+"/live/go1,rtmp://"+domain+"/live/go2", "domestic"
	created, err := liveClient.SetLiveStreamPreloadTasks(set)
	if err != nil {
		t.Fatal(err)
	}
	messages := created.PreloadTasksMessages.PreloadTasksMessage
	if created.Status != "Success" || created.TotalURL != 2 || created.SuccessURL != 2 || len(messages) != 2 || messages[0].TaskId == "" {
		t.Fatalf("SetLiveStreamPreloadTasks: %+v", created)
	}

	describe := live.CreateDescribeLiveStreamPreloadTasksRequest()
	describe.Scheme, describe.Domain = "http", host
	describe.DomainName, describe.TaskId, describe.PageSize = domain, messages[0].TaskId, requests.NewInteger(10)
	described, err := liveClient.DescribeLiveStreamPreloadTasks(describe)
	if err != nil {
		t.Fatal(err)
	}
	tasks := described.PreloadTasks.PreloadTask
	if described.TotalNum != 1 || len(tasks) != 1 || tasks[0].TaskId != messages[0].TaskId || tasks[0].PlayUrl != "rtmp://"+domain+"/live/go1" {
		t.Fatalf("DescribeLiveStreamPreloadTasks: %+v", described)
	}

	hot := live.CreateHotLiveRtcStreamRequest()
	hot.Scheme, hot.Domain = "http", host
	hot.DomainName, hot.AppName, hot.StreamName, hot.RegionCode = domain, "live", "s1", "ZHJ"
	hot.AudioMsid, hot.VideoMsid, hot.ConnectionTimeout, hot.MediaTimeout = "a", "v", "30000", "1500"
	if answer, err := liveClient.HotLiveRtcStream(hot); err != nil || answer.RequestId == "" {
		t.Fatalf("HotLiveRtcStream: %+v %v", answer, err)
	}

	relay := requests.NewCommonRequest()
	relay.Method, relay.Scheme, relay.Domain, relay.Version, relay.ApiName = "POST", "http", host, "2016-11-01", "UpdateLivePullToPush"
	relay.QueryParams["TaskId"], relay.QueryParams["Region"], relay.QueryParams["RepeatNumber"] = task, "cn-shanghai", "2"
	relay.QueryParams["SourceUrls"] = `["rtmp://origin.example.com/app/other"]`
	if answer, err := liveClient.ProcessCommonRequest(relay); err != nil || !strings.Contains(answer.GetHttpContentString(), "RequestId") {
		t.Fatalf("UpdateLivePullToPush: %v %v", answer, err)
	}

	vodClient, err := vod.NewClientWithAccessKey("cn-shanghai", "testid", "testsecret")
	if err != nil {
		t.Fatal(err)
	}
	refresh := vod.CreateRefreshMediaPlayUrlsRequest()
	refresh.Scheme, refresh.Domain = "http", host
	refresh.MediaIds, refresh.TaskType, refresh.Formats = mediaOK+","+mediaMissing, "Refresh", "mp4,m3u8"
	refreshed, err := vodClient.RefreshMediaPlayUrls(refresh)
	if err != nil {
		t.Fatal(err)
	}
	if refreshed.MediaRefreshJobId == "" || refreshed.NonExistMediaIds != mediaMissing {
		t.Fatalf("RefreshMediaPlayUrls: %+v", refreshed)
	}
}

func TestCoreSdkWrongSecretIsRefused(t *testing.T) {
	host := emulator(t)
	client, err := live.NewClientWithAccessKey("cn-shanghai", "testid", "not-the-secret")
	if err != nil {
		t.Fatal(err)
	}
	describe := live.CreateDescribeLiveStreamPreloadTasksRequest()
	describe.Scheme, describe.Domain, describe.DomainName = "http", host, domain
	_, err = client.DescribeLiveStreamPreloadTasks(describe)
	var server *sdkerrors.ServerError
	// On SignatureDoesNotMatch the SDK compares the server's string to sign with its own and, when they are
	// the same, reports InvalidAccessKeySecret: the emulator's V1 string to sign is the SDK's.
	if !errors.As(err, &server) || (server.ErrorCode() != "InvalidAccessKeySecret" && server.ErrorCode() != "SignatureDoesNotMatch") {
		t.Fatalf("a wrong secret: %v", err)
	}
}

// darabonba-openapi's generic CallApi, with V3 (its default) or V1 ("v2") signing.
func callApi(t *testing.T, host, secret, algorithm, action, version string, query map[string]string) (map[string]interface{}, error) {
	t.Helper()
	config := &openapi.Config{
		AccessKeyId: dara.String("testid"), AccessKeySecret: dara.String(secret),
		Endpoint: dara.String(host), Protocol: dara.String("http"),
	}
	if algorithm != "" {
		config.SignatureAlgorithm = dara.String(algorithm)
	}
	client, err := openapi.NewClient(config)
	if err != nil {
		t.Fatal(err)
	}
	params := &openapi.Params{
		Action: dara.String(action), Version: dara.String(version), Protocol: dara.String("HTTP"), Pathname: dara.String("/"),
		Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	q := map[string]*string{}
	for k, v := range query {
		q[k] = dara.String(v)
	}
	return client.CallApi(params, &openapi.OpenApiRequest{Query: q}, &dara.RuntimeOptions{})
}

func body(t *testing.T, answer map[string]interface{}) map[string]interface{} {
	t.Helper()
	b, ok := answer["body"].(map[string]interface{})
	if !ok {
		t.Fatalf("no body: %v", answer)
	}
	return b
}

func TestOpenApiEveryOperationBothSignatures(t *testing.T) {
	host := emulator(t)
	for _, algorithm := range []string{"", "v2"} {
		name := map[string]string{"": "V3", "v2": "V1"}[algorithm]
		url := "rtmp://" + domain + "/live/openapi-" + name
		created, err := callApi(t, host, "testsecret", algorithm, "SetLiveStreamPreloadTasks", "2016-11-01",
			map[string]string{"DomainName": domain, "PlayUrl": url, "Area": "overseas"})
		if err != nil {
			t.Fatalf("%s SetLiveStreamPreloadTasks: %v", name, err)
		}
		if b := body(t, created); b["Status"] != "Success" || fmt.Sprint(b["SuccessURL"]) != "1" {
			t.Fatalf("%s SetLiveStreamPreloadTasks: %v", name, b)
		}
		described, err := callApi(t, host, "testsecret", algorithm, "DescribeLiveStreamPreloadTasks", "2016-11-01",
			map[string]string{"DomainName": domain, "PlayUrl": url})
		if err != nil || fmt.Sprint(body(t, described)["TotalNum"]) != "1" {
			t.Fatalf("%s DescribeLiveStreamPreloadTasks: %v %v", name, described, err)
		}
		hot, err := callApi(t, host, "testsecret", algorithm, "HotLiveRtcStream", "2016-11-01", map[string]string{
			"DomainName": domain, "AppName": "live", "StreamName": "s-" + name, "RegionCode": "ZHJ", "AudioMsid": "a", "VideoMsid": "v",
		})
		if err != nil || body(t, hot)["RequestId"] == nil {
			t.Fatalf("%s HotLiveRtcStream: %v %v", name, hot, err)
		}
		relay, err := callApi(t, host, "testsecret", algorithm, "UpdateLivePullToPush", "2016-11-01", map[string]string{
			"TaskId": task, "Region": "cn-shanghai", "SourceUrls": `["rtmp://origin.example.com/app/中"]`,
		})
		if err != nil || body(t, relay)["RequestId"] == nil {
			t.Fatalf("%s UpdateLivePullToPush: %v %v", name, relay, err)
		}
		refreshed, err := callApi(t, host, "testsecret", algorithm, "RefreshMediaPlayUrls", "2017-03-21",
			map[string]string{"MediaIds": mediaOK + "," + mediaMissing, "TaskType": "Preload"})
		if err != nil || body(t, refreshed)["NonExistMediaIds"] != mediaMissing || body(t, refreshed)["MediaRefreshJobId"] == "" {
			t.Fatalf("%s RefreshMediaPlayUrls: %v %v", name, refreshed, err)
		}
		_, err = callApi(t, host, "not-the-secret", algorithm, "DescribeLiveStreamPreloadTasks", "2016-11-01",
			map[string]string{"DomainName": domain})
		// The V3 path reports a tea.SDKError, the V1 path an openapi.ClientError: each with the service's code.
		code := ""
		var sdkError *tea.SDKError
		var clientError *openapi.ClientError
		if errors.As(err, &sdkError) {
			code = tea.StringValue(sdkError.Code)
		} else if errors.As(err, &clientError) {
			code = dara.StringValue(clientError.GetCode())
		}
		if code != "SignatureDoesNotMatch" {
			t.Fatalf("%s with a wrong secret: %T %v", name, err, err)
		}
	}
}
