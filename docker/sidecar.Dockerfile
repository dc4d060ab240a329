# The worker sidecar (io.xfaas.sidecar.SidecarMain) as an image. Build context: the repository
# root (docker/docker-compose.yml sets it), so the image builds from source with Maven.
#   docker build -f docker/sidecar.Dockerfile -t xfaas/sidecar .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl worker-sidecar -am package \
 && mvn -B -ntp -q -pl worker-sidecar dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib \
 && cp worker-sidecar/target/xfaas-worker-sidecar-*.jar worker-sidecar/target/lib/

FROM eclipse-temurin:17-jre
WORKDIR /opt/xfaas
COPY --from=build /src/worker-sidecar/target/lib/ /opt/xfaas/lib/
# The configuration comes from the mounted flink-conf/ (docker-compose.yml).
ENTRYPOINT ["java", "-cp", "/opt/xfaas/lib/*", "io.xfaas.sidecar.SidecarMain"]
CMD ["--config", "/opt/xfaas/conf/xfaas.properties"]
