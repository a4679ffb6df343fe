import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates rendered manifests (a JSON array on stdin) against the Kubernetes API models, which
 * are generated from the Kubernetes OpenAPI schemas and refuse unknown fields, missing required
 * ones and wrong types: a typo fails. Prints one line per object; exits 1 on any problem.
 * Custom resources (Strimzi, Prometheus Operator) are checked by the test that calls this.
 */
public class ValidateManifests {
  public static void main(String[] args) throws Exception {
    JsonArray objects = JsonParser.parseReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).getAsJsonArray();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (JsonElement element : objects) {
      JsonObject object = element.getAsJsonObject();
      String apiVersion = object.get("apiVersion").getAsString();
      String kind = object.get("kind").getAsString();
      String name = object.getAsJsonObject("metadata").get("name").getAsString();
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
      try {
        Class.forName(model).getMethod("validateJsonElement", JsonElement.class).invoke(null, object);
        checked++;
        System.out.println("ok " + apiVersion + " " + kind + " " + name);
      } catch (ClassNotFoundException e) {
        problems.add(apiVersion + " " + kind + " " + name + ": no Kubernetes API model " + model);
      } catch (InvocationTargetException e) {
        problems.add(apiVersion + " " + kind + " " + name + ": " + e.getCause().getMessage());
      }
    }
    problems.forEach((p) -> System.out.println("INVALID " + p));
    System.out.println(checked + " valid, " + problems.size() + " invalid");
    System.exit(problems.isEmpty() ? 0 : 1);
  }
}
